package dev.orrery.promql.histogram;

import dev.orrery.core.histogram.FloatHistogram;
import dev.orrery.core.histogram.HistogramArithmetic;
import dev.orrery.promql.function.KahanSum;

/**
 * {@code histogram_stddev} and {@code histogram_stdvar}: the variance of a native histogram's observations, each
 * bucket represented by its geometric mean (exponential buckets), its midpoint (custom buckets) or 0 (zero bucket).
 */
public final class HistogramStats {
  private HistogramStats() {}

  /** The estimated variance of the observations in {@code h}. */
  public static double variance(FloatHistogram h) {
    double mean = h.sum() / h.count();
    double variance = 0;
    double c = 0;
    boolean custom = HistogramArithmetic.usesCustomBuckets(h);
    BucketIterator it = new BucketIterator(h, false);
    while (it.next()) {
      if (it.count == 0) {
        continue;
      }
      double val;
      if (custom) {
        if (Double.isInfinite(it.lower) && Double.isInfinite(it.upper)) {
          val = 0;
        } else if (it.lower == Double.NEGATIVE_INFINITY) {
          val = it.upper <= 0 ? it.upper : it.upper / 2;
        } else if (it.upper == Double.POSITIVE_INFINITY) {
          val = it.lower;
        } else {
          val = (it.lower + it.upper) / 2;
        }
      } else if (it.lower <= 0 && 0 <= it.upper) {
        val = 0;
      } else {
        val = Math.sqrt(it.upper * it.lower);
        if (it.upper < 0) {
          val = -val;
        }
      }
      double delta = val - mean;
      double inc = it.count * delta * delta;
      c = KahanSum.compensation(inc, variance, c);
      variance += inc;
    }
    variance += c;
    return variance / h.count();
  }
}
