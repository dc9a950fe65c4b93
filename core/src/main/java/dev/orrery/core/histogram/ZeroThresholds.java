package dev.orrery.core.histogram;


/** Widening of a histogram's zero bucket (Prometheus' {@code zeroCountForLargerThreshold}). */
public final class ZeroThresholds {
  private ZeroThresholds() {}

  /**
   * {@code h} with its zero bucket widened to at least {@code threshold}; the returned threshold is larger when
   * {@code threshold} falls inside a populated bucket.
   */
  public static FloatHistogram widen(FloatHistogram h, double threshold) {
    HistogramArithmetic.ZeroBucket z = new HistogramArithmetic.ZeroBucket(h);
    z.widenTo(threshold);
    return new FloatHistogram(h.counterResetHint(), h.schema(), z.threshold, z.count, h.count(), h.sum(),
        z.positive.spans(), z.positive.counts(), z.negative.spans(), z.negative.counts(), h.customValues());
  }
}
