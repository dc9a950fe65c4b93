package dev.orrery.core.labels;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * An immutable label set, sorted by name (UTF-8 byte order), names unique. Equality and ordering follow Prometheus'
 * {@code labels.Equal} and {@code labels.Compare}; {@link #hash()} is a stable 64-bit hash (xxHash64 of
 * {@code name 0xff value 0xff ...}, the same bytes Prometheus hashes) and {@link #hashCode()} derives from it.
 *
 * <p>Labels with an empty value are not stored: a label set never contains {@code name=""}, as in Prometheus.
 * Thread-safe.
 */
public final class Labels implements Comparable<Labels> {
  /** The metric name label. */
  public static final String METRIC_NAME = "__name__";

  private static final Labels EMPTY = new Labels(new String[0]);

  // name0, value0, name1, value1, ... sorted by name
  private final String[] pairs;
  private long hash;
  private boolean hashed;

  private Labels(String[] pairs) {
    this.pairs = pairs;
  }

  /** The empty label set. */
  public static Labels empty() {
    return EMPTY;
  }

  /**
   * A label set from alternating names and values, in any order; empty values are dropped.
   *
   * @throws IllegalArgumentException on an odd count or a duplicate name
   */
  public static Labels of(String... namesAndValues) {
    if (namesAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("odd number of strings: " + namesAndValues.length);
    }
    LabelsBuilder b = new LabelsBuilder();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      if (b.get(namesAndValues[i]) != null) {
        throw new IllegalArgumentException("duplicate label name " + namesAndValues[i]);
      }
      b.set(namesAndValues[i], namesAndValues[i + 1]);
    }
    return b.build();
  }

  /** A label set from labels in any order; empty values are dropped. Duplicate names are rejected. */
  public static Labels from(Iterable<Label> labels) {
    LabelsBuilder b = new LabelsBuilder();
    for (Label l : labels) {
      if (b.get(l.name()) != null) {
        throw new IllegalArgumentException("duplicate label name " + l.name());
      }
      b.set(l.name(), l.value());
    }
    return b.build();
  }

  /** A label set from a name-to-value map; empty values are dropped. */
  public static Labels of(Map<String, String> labels) {
    LabelsBuilder b = new LabelsBuilder();
    labels.forEach(b::set);
    return b.build();
  }

  /**
   * Wraps pairs that the caller guarantees are sorted by name, unique and without empty values (for example decoded
   * from an index, which enforces that order). The array is not copied and must not be modified.
   */
  public static Labels ofSortedPairs(String[] pairs) {
    return pairs.length == 0 ? EMPTY : new Labels(pairs);
  }

  /** Number of labels. */
  public int size() {
    return pairs.length >> 1;
  }

  /** True when there are no labels. */
  public boolean isEmpty() {
    return pairs.length == 0;
  }

  /** Name of the {@code i}-th label in sort order. */
  public String name(int i) {
    return pairs[i << 1];
  }

  /** Value of the {@code i}-th label in sort order. */
  public String value(int i) {
    return pairs[(i << 1) + 1];
  }

  /** Value of label {@code name}, or {@code ""} when absent (Prometheus' {@code Labels.Get}). */
  public String get(String name) {
    for (int i = 0; i < pairs.length; i += 2) {
      if (pairs[i].equals(name)) {
        return pairs[i + 1];
      }
    }
    return "";
  }

  /** True when a label named {@code name} is present. */
  public boolean has(String name) {
    for (int i = 0; i < pairs.length; i += 2) {
      if (pairs[i].equals(name)) {
        return true;
      }
    }
    return false;
  }

  /** The {@code __name__} value, or {@code ""}. */
  public String metricName() {
    return get(METRIC_NAME);
  }

  /** This set without {@code __name__}. */
  public Labels withoutMetricName() {
    return has(METRIC_NAME) ? toBuilder().delete(METRIC_NAME).build() : this;
  }

  /** This set without the labels named in {@code names}; itself when it has none of them. */
  public Labels without(Collection<String> names) {
    LabelsBuilder b = null;
    for (String n : names) {
      if (has(n)) {
        b = b == null ? toBuilder() : b;
        b.delete(n);
      }
    }
    return b == null ? this : b.build();
  }

  /** This set with every label of {@code overrides} set, replacing a label of the same name; itself when empty. */
  public Labels withAll(Labels overrides) {
    if (overrides.isEmpty()) {
      return this;
    }
    LabelsBuilder b = toBuilder();
    overrides.forEach(b::set);
    return b.build();
  }

  /** Calls {@code action} for each label in order, without allocating. */
  public void forEach(BiConsumer<String, String> action) {
    for (int i = 0; i < pairs.length; i += 2) {
      action.accept(pairs[i], pairs[i + 1]);
    }
  }

  /** The labels as a new list. */
  public List<Label> toList() {
    List<Label> out = new ArrayList<>(size());
    for (int i = 0; i < pairs.length; i += 2) {
      out.add(new Label(pairs[i], pairs[i + 1]));
    }
    return out;
  }

  /** The labels as a new map, in label order (for templates and JSON objects). */
  public Map<String, String> toMap() {
    Map<String, String> out = new LinkedHashMap<>();
    forEach(out::put);
    return out;
  }

  /** A builder pre-filled with these labels. */
  public LabelsBuilder toBuilder() {
    return new LabelsBuilder(this);
  }

  String[] pairs() {
    return pairs;
  }

  /** The stable 64-bit hash of this set (xxHash64 over name, 0xff, value, 0xff, ...). */
  public long hash() {
    if (!hashed) {
      hash = LabelHashing.xxHash64(pairs);
      hashed = true;
    }
    return hash;
  }

  @Override
  public int hashCode() {
    long h = hash();
    return (int) (h ^ (h >>> 32));
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Labels other) || other.pairs.length != pairs.length) {
      return false;
    }
    if (hashed && other.hashed && hash != other.hash) {
      return false;
    }
    return Arrays.equals(pairs, other.pairs);
  }

  /** Prometheus' {@code labels.Compare}: pairwise by name then value (UTF-8 byte order); a prefix sorts first. */
  @Override
  public int compareTo(Labels o) {
    String[] a = pairs;
    String[] b = o.pairs;
    int n = Math.min(a.length, b.length);
    for (int i = 0; i < n; i += 2) {
      int c = Utf8Order.compare(a[i], b[i]);
      if (c != 0) {
        return c;
      }
      c = Utf8Order.compare(a[i + 1], b[i + 1]);
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.length, b.length);
  }

  /** Prometheus' text form: {@code {a="1", b="2"}} with Go-style quoting of values. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("{");
    for (int i = 0; i < pairs.length; i += 2) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(pairs[i]).append('=');
      LabelHashing.appendQuoted(sb, pairs[i + 1]);
    }
    return sb.append('}').toString();
  }
}
