package dev.orrery.core.histogram;

import java.util.Arrays;

/** Counter reset detection between consecutive histogram samples (Prometheus' {@code FloatHistogram.DetectReset}). */
public final class HistogramCounterResets {
  private HistogramCounterResets() {}

  /**
   * True when {@code cur} follows a counter reset after {@code prev}: an explicit hint decides; otherwise a lower
   * count, changed custom bounds, a finer schema, a smaller zero threshold or any bucket that went down.
   */
  public static boolean detectReset(FloatHistogram prev, FloatHistogram cur) {
    if (cur.counterResetHint() == CounterResetHint.COUNTER_RESET) {
      return true;
    }
    if (cur.counterResetHint() == CounterResetHint.NOT_COUNTER_RESET) {
      return false;
    }
    if (cur.count() < prev.count()) {
      return true;
    }
    boolean customCur = HistogramArithmetic.usesCustomBuckets(cur);
    if (customCur != HistogramArithmetic.usesCustomBuckets(prev)) {
      return true;
    }
    if (cur.schema() > prev.schema()) {
      return true;
    }
    if (cur.zeroThreshold() < prev.zeroThreshold()) {
      return true;
    }
    return bucketsDecreased(prev, cur);
  }

  /**
   * True when, with {@code prev} brought to {@code cur}'s schema and zero threshold, the zero bucket or any populated
   * bucket of {@code prev} has a lower count in {@code cur} (a missing bucket counts as zero).
   */
  public static boolean bucketsDecreased(FloatHistogram prev, FloatHistogram cur) {
    if (HistogramArithmetic.usesCustomBuckets(prev) != HistogramArithmetic.usesCustomBuckets(cur)) {
      return true;
    }
    if (HistogramArithmetic.usesCustomBuckets(cur)) {
      // Differing custom bounds are no reset: compare on the bounds both have.
      Buckets p = Buckets.of(prev.positiveSpans(), prev.positiveBuckets());
      Buckets c = Buckets.of(cur.positiveSpans(), cur.positiveBuckets());
      if (!Arrays.equals(prev.customValues(), cur.customValues())) {
        double[] common = HistogramArithmetic.intersect(prev.customValues(), cur.customValues());
        p = HistogramArithmetic.remapCustom(p, prev.customValues(), common);
        c = HistogramArithmetic.remapCustom(c, cur.customValues(), common);
      }
      return decreased(p, c);
    }
    FloatHistogram p = prev;
    if (p.schema() > cur.schema()) {
      p = HistogramArithmetic.reduceResolution(p, cur.schema());
    }
    if (cur.zeroThreshold() > p.zeroThreshold()) {
      FloatHistogram widened = ZeroThresholds.widen(p, cur.zeroThreshold());
      if (widened.zeroThreshold() != cur.zeroThreshold()) {
        return true;
      }
      p = widened;
    }
    if (cur.zeroCount() < p.zeroCount()) {
      return true;
    }
    return decreased(Buckets.of(p.positiveSpans(), p.positiveBuckets()),
        Buckets.of(cur.positiveSpans(), cur.positiveBuckets()))
        || decreased(Buckets.of(p.negativeSpans(), p.negativeBuckets()),
            Buckets.of(cur.negativeSpans(), cur.negativeBuckets()));
  }

  private static boolean decreased(Buckets prev, Buckets cur) {
    for (int i = 0; i < prev.size(); i++) {
      double c = prev.counts()[i];
      if (c != 0 && cur.countAt(prev.indexes()[i]) < c) {
        return true;
      }
    }
    return false;
  }
}
