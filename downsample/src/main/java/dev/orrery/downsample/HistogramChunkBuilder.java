package dev.orrery.downsample;

import dev.orrery.core.chunk.Chunk;
import dev.orrery.core.chunk.FloatHistogramAppender;
import dev.orrery.core.histogram.Buckets;
import dev.orrery.core.histogram.CounterResetHint;
import dev.orrery.core.histogram.FloatHistogram;
import dev.orrery.core.histogram.HistogramArithmetic;
import dev.orrery.core.histogram.ZeroThresholds;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects the float histograms of one aggregate sub-chunk and writes them as one float histogram chunk. A chunk holds
 * a single bucket layout, so every histogram is first brought to the smallest schema, the widest zero bucket and the
 * union of all buckets (absent buckets as explicit zeros); the values are unchanged. Counter chunks get hints that
 * assert no reset after the first sample, gauge chunks the gauge hint. Confined to one thread.
 */
final class HistogramChunkBuilder {
  private final List<FloatHistogram> values = new ArrayList<>();
  private final List<Long> times = new ArrayList<>();

  void add(long t, FloatHistogram h) {
    times.add(t);
    values.add(h);
  }

  boolean isEmpty() {
    return values.isEmpty();
  }

  /**
   * The chunk of the collected samples.
   *
   * @throws IllegalStateException if a counter histogram decreases, which a counter chunk cannot hold
   */
  Chunk build(boolean gauge) {
    List<FloatHistogram> common = commonLayout(values);
    FloatHistogramAppender appender = new FloatHistogramAppender();
    if (gauge) {
      appender.counterResetHeader(CounterResetHint.GAUGE);
    }
    for (int i = 0; i < common.size(); i++) {
      CounterResetHint hint = gauge ? CounterResetHint.GAUGE
          : i == 0 ? CounterResetHint.UNKNOWN : CounterResetHint.NOT_COUNTER_RESET;
      if (!appender.append(times.get(i), HistogramArithmetic.withHint(common.get(i), hint))) {
        throw new IllegalStateException("aggregate histogram at " + times.get(i) + " does not fit its "
            + (gauge ? "gauge" : "counter") + " chunk");
      }
    }
    return appender.toChunk();
  }

  /** The histograms at one schema, zero threshold and bucket layout. */
  static List<FloatHistogram> commonLayout(List<FloatHistogram> in) {
    int schema = Integer.MAX_VALUE;
    for (FloatHistogram h : in) {
      schema = Math.min(schema, h.schema());
    }
    List<FloatHistogram> out = new ArrayList<>(in.size());
    double threshold = 0;
    for (FloatHistogram h : in) {
      FloatHistogram r = HistogramArithmetic.reduceResolution(h, schema);
      out.add(r);
      threshold = Math.max(threshold, r.zeroThreshold());
    }
    // Widening may move a threshold further (to a bucket boundary); repeat until every histogram has the same.
    boolean same;
    do {
      same = true;
      for (int i = 0; i < out.size(); i++) {
        FloatHistogram w = out.get(i).zeroThreshold() == threshold ? out.get(i)
            : ZeroThresholds.widen(out.get(i), threshold);
        out.set(i, w);
        if (w.zeroThreshold() != threshold) {
          threshold = Math.max(threshold, w.zeroThreshold());
          same = false;
        }
      }
    } while (!same);
    Buckets positive = Buckets.EMPTY;
    Buckets negative = Buckets.EMPTY;
    for (FloatHistogram h : out) {
      positive = Buckets.merge(positive, Buckets.of(h.positiveSpans(), h.positiveBuckets()), 0);
      negative = Buckets.merge(negative, Buckets.of(h.negativeSpans(), h.negativeBuckets()), 0);
    }
    for (int i = 0; i < out.size(); i++) {
      FloatHistogram h = out.get(i);
      out.set(i, new FloatHistogram(h.counterResetHint(), h.schema(), h.zeroThreshold(), h.zeroCount(), h.count(),
          h.sum(), positive.spans(), countsOver(positive, Buckets.of(h.positiveSpans(), h.positiveBuckets())),
          negative.spans(), countsOver(negative, Buckets.of(h.negativeSpans(), h.negativeBuckets())),
          h.customValues()));
    }
    return out;
  }

  /** The counts of {@code b} at every index of {@code layout} (zero where {@code b} has no bucket). */
  private static double[] countsOver(Buckets layout, Buckets b) {
    double[] out = new double[layout.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = b.countAt(layout.indexes()[i]);
    }
    return out;
  }
}
