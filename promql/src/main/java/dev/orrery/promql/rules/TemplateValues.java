package dev.orrery.promql.rules;

import dev.orrery.core.io.GoFloat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Go values an alert template works with, as Java objects: {@code string} ({@link String}), {@code int}
 * ({@link Long}; number literals and {@code len}), {@code float64} ({@link Double}), {@code bool} ({@link Boolean}),
 * {@code map[string]string} ({@link Map}) and the template's data ({@link TemplateData}). Gives their Go type names,
 * their {@code fmt.Print} text and their truth, as {@code text/template} sees them.
 */
final class TemplateValues {
  /** Go's name of the data struct, as {@code %T} prints it. */
  static final String DATA_TYPE =
      "struct { Labels map[string]string; ExternalLabels map[string]string; Value float64 }";

  private TemplateValues() {}

  /** Go's name of the value's type ({@code %T}). */
  static String typeName(Object value) {
    return switch (value) {
      case String s -> "string";
      case Long l -> "int";
      case Double d -> "float64";
      case Boolean b -> "bool";
      case Map<?, ?> m -> "map[string]string";
      case TemplateData d -> DATA_TYPE;
      default -> throw new IllegalArgumentException("not a template value: " + value.getClass().getName());
    };
  }

  /** The value as {@code fmt.Print} (and so a template action) prints it. */
  static String print(Object value) {
    StringBuilder sb = new StringBuilder();
    appendPrinted(sb, value);
    return sb.toString();
  }

  static void appendPrinted(StringBuilder sb, Object value) {
    switch (value) {
      case String s -> sb.append(s);
      case Long l -> sb.append(l.longValue());
      case Double d -> sb.append(GoFloat.formatG(d));
      case Boolean b -> sb.append(b.booleanValue());
      case Map<?, ?> m -> {
        sb.append("map[");
        boolean first = true;
        for (Map.Entry<String, String> e : sortedEntries(m)) {
          if (!first) {
            sb.append(' ');
          }
          first = false;
          sb.append(e.getKey()).append(':').append(e.getValue());
        }
        sb.append(']');
      }
      case TemplateData d -> {
        sb.append('{');
        appendPrinted(sb, d.labels());
        sb.append(' ');
        appendPrinted(sb, d.externalLabels());
        sb.append(' ');
        appendPrinted(sb, d.value());
        sb.append('}');
      }
      default -> throw new IllegalArgumentException("not a template value: " + value.getClass().getName());
    }
  }

  /** Entries in Go's map printing order: keys sorted by their bytes, which is code point order. */
  static List<Map.Entry<String, String>> sortedEntries(Map<?, ?> map) {
    List<Map.Entry<String, String>> entries = new ArrayList<>(map.size());
    for (Map.Entry<?, ?> e : map.entrySet()) {
      entries.add(Map.entry((String) e.getKey(), (String) e.getValue()));
    }
    entries.sort((a, b) -> compareStrings(a.getKey(), b.getKey()));
    return entries;
  }

  /** Go's {@code isTrue}: false, 0, "" and the empty map are false; everything else (NaN too) is true. */
  static boolean truth(Object value) {
    return switch (value) {
      case String s -> !s.isEmpty();
      case Long l -> l != 0;
      // NaN != 0 holds, so NaN is true as in Go.
      case Double d -> d != 0;
      case Boolean b -> b;
      case Map<?, ?> m -> !m.isEmpty();
      default -> true;
    };
  }

  /** Compares as Go compares strings (bytewise UTF-8, i.e. by code point), not by UTF-16 units. */
  static int compareStrings(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Boolean.compare(i < a.length(), j < b.length());
  }

  /** Length of {@code s} in UTF-8 bytes, Go's {@code len} of a string. */
  static int utf8Length(CharSequence s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n++;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }
}
