package dev.orrery.storeapi.gateway;

import dev.orrery.core.labels.Labels;
import dev.orrery.core.labels.Utf8Order;
import java.util.Comparator;

/**
 * Prometheus' label set order ({@code labels.Compare}, FORMATS.md 0), tuned for the k-way merge of blocks, where
 * compared sets usually share most pairs: equal strings are skipped with {@link String#equals} (identity first, then
 * the JDK's vectorised comparison) and only the first differing string is compared in UTF-8 byte order. Stateless.
 */
final class LabelOrder {
  static final Comparator<Labels> COMPARATOR = LabelOrder::compare;

  private LabelOrder() {}

  static int compare(Labels a, Labels b) {
    if (a == b) {
      return 0;
    }
    int n = Math.min(a.size(), b.size());
    for (int i = 0; i < n; i++) {
      String an = a.name(i);
      String bn = b.name(i);
      if (!an.equals(bn)) {
        return Utf8Order.compare(an, bn);
      }
      String av = a.value(i);
      String bv = b.value(i);
      if (!av.equals(bv)) {
        return Utf8Order.compare(av, bv);
      }
    }
    return Integer.compare(a.size(), b.size());
  }
}
