package dev.orrery.promql.promqltest;

import dev.orrery.core.histogram.CounterResetHint;
import dev.orrery.core.histogram.FloatHistogram;
import dev.orrery.core.histogram.Histogram;
import dev.orrery.core.histogram.Span;
import dev.orrery.core.labels.Labels;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code load_with_nhcb}: turns classic histogram series ({@code _bucket} with {@code le}, {@code _count},
 * {@code _sum}) into native histograms with custom buckets under the base name, as Prometheus' {@code convertnhcb}
 * does, and adds them next to the float series.
 */
final class ClassicToNhcb {
  private ClassicToNhcb() {}

  private static final class Temp {
    final TreeMap<Double, Double> buckets = new TreeMap<>();
    Double count;
    double sum;
  }

  static void convert(TreeMap<Labels, TreeMap<Long, SequenceValue>> raw) {
    Map<Labels, TreeMap<Long, Temp>> byBase = new TreeMap<>();
    for (Map.Entry<Labels, TreeMap<Long, SequenceValue>> e : raw.entrySet()) {
      Labels m = e.getKey();
      String name = m.metricName();
      String suffix;
      if (name.endsWith("_bucket")) {
        suffix = "_bucket";
      } else if (name.endsWith("_count")) {
        suffix = "_count";
      } else if (name.endsWith("_sum")) {
        suffix = "_sum";
      } else {
        continue;
      }
      double le = 0;
      if (suffix.equals("_bucket")) {
        if (!m.has("le")) {
          continue;
        }
        try {
          le = SeriesDescParser.parseFloat(m.get("le"));
        } catch (IllegalArgumentException ex) {
          continue;
        }
        if (Double.isNaN(le)) {
          continue;
        }
      }
      Labels base = m.toBuilder().set(Labels.METRIC_NAME, name.substring(0, name.length() - suffix.length()))
          .delete("le").build();
      TreeMap<Long, Temp> temps = byBase.computeIfAbsent(base, k -> new TreeMap<>());
      for (Map.Entry<Long, SequenceValue> p : e.getValue().entrySet()) {
        if (p.getValue().histogram() != null) {
          continue;
        }
        Temp t = temps.computeIfAbsent(p.getKey(), k -> new Temp());
        double f = p.getValue().value();
        switch (suffix) {
          case "_bucket" -> t.buckets.put(le, f);
          case "_count" -> t.count = f;
          default -> t.sum = f;
        }
      }
    }
    for (Map.Entry<Labels, TreeMap<Long, Temp>> e : byBase.entrySet()) {
      TreeMap<Long, SequenceValue> points = new TreeMap<>();
      for (Map.Entry<Long, Temp> p : e.getValue().entrySet()) {
        FloatHistogram h = build(p.getValue());
        if (h != null) {
          points.put(p.getKey(), SequenceValue.ofHistogram(h, false));
        }
      }
      if (!points.isEmpty()) {
        raw.computeIfAbsent(e.getKey(), k -> new TreeMap<>()).putAll(points);
      }
    }
  }

  private static FloatHistogram build(Temp t) {
    if (t.buckets.isEmpty() && t.count == null) {
      return null;
    }
    TreeMap<Double, Double> b = new TreeMap<>(t.buckets);
    if (b.isEmpty() || b.lastKey() != Double.POSITIVE_INFINITY) {
      double count = t.count != null ? t.count : (b.isEmpty() ? 0 : b.lastEntry().getValue());
      b.put(Double.POSITIVE_INFINITY, count);
    }
    double count = t.count != null ? t.count : b.lastEntry().getValue();
    double[] bounds = new double[b.size() - 1];
    double[] counts = new double[b.size()];
    int i = 0;
    double prev = 0;
    for (Map.Entry<Double, Double> e : b.entrySet()) {
      if (i < bounds.length) {
        bounds[i] = e.getKey();
      }
      counts[i] = e.getValue() - prev;
      prev = e.getValue();
      i++;
    }
    return new FloatHistogram(CounterResetHint.UNKNOWN, Histogram.CUSTOM_BUCKETS_SCHEMA, 0, 0, count, t.sum,
        new Span[] {new Span(0, counts.length)}, counts, new Span[0], new double[0], bounds);
  }
}
