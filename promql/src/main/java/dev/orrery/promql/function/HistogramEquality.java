package dev.orrery.promql.function;

import dev.orrery.core.histogram.FloatHistogram;
import java.util.Arrays;

/** Prometheus' {@code FloatHistogram.Equals}: same layout and values, bit-identical sums (NaN equals NaN). */
public final class HistogramEquality {
  private HistogramEquality() {}

  /** True when both histograms have the same layout and values. */
  public static boolean equal(FloatHistogram a, FloatHistogram b) {
    return a.schema() == b.schema() && a.zeroThreshold() == b.zeroThreshold() && a.zeroCount() == b.zeroCount()
        && a.count() == b.count()
        && Double.doubleToLongBits(a.sum()) == Double.doubleToLongBits(b.sum())
        && Arrays.equals(a.customValues(), b.customValues())
        && Arrays.equals(a.positiveSpans(), b.positiveSpans()) && Arrays.equals(a.positiveBuckets(), b.positiveBuckets())
        && Arrays.equals(a.negativeSpans(), b.negativeSpans()) && Arrays.equals(a.negativeBuckets(), b.negativeBuckets());
  }
}
