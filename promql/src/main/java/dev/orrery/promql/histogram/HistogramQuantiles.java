package dev.orrery.promql.histogram;

import dev.orrery.core.histogram.FloatHistogram;
import dev.orrery.core.histogram.HistogramArithmetic;
import dev.orrery.promql.function.MathFunctions;

/**
 * {@code histogram_quantile} and {@code histogram_fraction} over native histograms (Prometheus'
 * {@code HistogramQuantile}/{@code HistogramFraction}): exponential buckets interpolate on a logarithmic scale, custom
 * buckets and the zero bucket linearly; observations of NaN (counted but in no bucket) make high quantiles NaN.
 */
public final class HistogramQuantiles {
  private HistogramQuantiles() {}

  /** What the computation noticed, for annotations. */
  public enum NaNObservations {
    /** The histogram has no NaN observations. */
    NONE,
    /** The result is NaN because the rank falls among NaN observations. */
    RESULT_NAN,
    /** The result is skewed higher by NaN observations. */
    SKEWED
  }

  /** A quantile and what NaN observations did to it. */
  public record QuantileResult(double value, NaNObservations nan) {}

  private static double bucketTotal(FloatHistogram h) {
    double sum = HistogramArithmetic.usesCustomBuckets(h) ? 0 : h.zeroCount();
    for (double c : h.positiveBuckets()) {
      sum += c;
    }
    if (!HistogramArithmetic.usesCustomBuckets(h)) {
      for (double c : h.negativeBuckets()) {
        sum += c;
      }
    }
    return sum;
  }

  /** True when the histogram counts observations of NaN (a NaN sum and fewer observations in buckets). */
  public static boolean hasNaNObservations(FloatHistogram h) {
    return Double.isNaN(h.sum()) && h.count() > bucketTotal(h);
  }

  /** The {@code q}-quantile of {@code h}. */
  public static QuantileResult quantile(double q, FloatHistogram h) {
    if (q < 0) {
      return new QuantileResult(Double.NEGATIVE_INFINITY, NaNObservations.NONE);
    }
    if (q > 1) {
      return new QuantileResult(Double.POSITIVE_INFINITY, NaNObservations.NONE);
    }
    if (h.count() == 0 || Double.isNaN(q)) {
      return new QuantileResult(Double.NaN, NaNObservations.NONE);
    }
    NaNObservations nan = NaNObservations.NONE;
    boolean forward = q < 0.5;
    double rank;
    if (hasNaNObservations(h)) {
      rank = q * h.count();
      if (rank > bucketTotal(h) || bucketTotal(h) == 0) {
        return new QuantileResult(Double.NaN, NaNObservations.RESULT_NAN);
      }
      nan = NaNObservations.SKEWED;
      forward = true;
    } else if (Double.isNaN(h.sum())) {
      forward = true;
      rank = q * h.count();
    } else {
      rank = forward ? q * h.count() : (1 - q) * h.count();
    }
    BucketIterator it = new BucketIterator(h, !forward);
    double count = 0;
    double lower = 0;
    double upper = 0;
    double bcount = 0;
    boolean any = false;
    while (it.next()) {
      if (it.count == 0) {
        continue;
      }
      any = true;
      lower = it.lower;
      upper = it.upper;
      bcount = it.count;
      count += bcount;
      if (count >= rank) {
        break;
      }
    }
    if (!any) {
      return new QuantileResult(Double.NaN, nan);
    }
    boolean custom = HistogramArithmetic.usesCustomBuckets(h);
    if (!custom && lower < 0 && upper > 0) {
      if (h.negativeBuckets().length == 0 && h.positiveBuckets().length > 0) {
        lower = 0;
      } else if (h.positiveBuckets().length == 0 && h.negativeBuckets().length > 0) {
        upper = 0;
      }
    } else if (custom) {
      if (lower == Double.NEGATIVE_INFINITY) {
        if (upper <= 0) {
          return new QuantileResult(upper, nan);
        }
        lower = 0;
      } else if (upper == Double.POSITIVE_INFINITY) {
        return new QuantileResult(lower, nan);
      }
    }
    if (count > h.count()) {
      count = h.count();
    }
    if (count < rank) {
      return new QuantileResult(upper, nan);
    }
    if (forward) {
      rank -= count - bcount;
    } else {
      rank = count - rank;
    }
    double fraction = rank / bcount;
    if (custom || (lower <= 0 && upper >= 0)) {
      return new QuantileResult(lower + (upper - lower) * fraction, nan);
    }
    double logLower = log2(Math.abs(lower));
    double logUpper = log2(Math.abs(upper));
    if (lower > 0) {
      return new QuantileResult(MathFunctions.exp2(logLower + (logUpper - logLower) * fraction), nan);
    }
    return new QuantileResult(-MathFunctions.exp2(logUpper + (logLower - logUpper) * (1 - fraction)), nan);
  }

  private static double log2(double v) {
    return MathFunctions.log2(v);
  }

  /** The fraction of observations of {@code h} in {@code (lower, upper]}. */
  public static double fraction(double lowerLimit, double upperLimit, FloatHistogram h) {
    if (h.count() == 0 || Double.isNaN(lowerLimit) || Double.isNaN(upperLimit)) {
      return Double.NaN;
    }
    if (lowerLimit >= upperLimit) {
      return 0;
    }
    boolean custom = HistogramArithmetic.usesCustomBuckets(h);
    double rank = 0;
    double lowerRank = 0;
    double upperRank = 0;
    boolean lowerSet = false;
    boolean upperSet = false;
    BucketIterator it = new BucketIterator(h, false);
    while (it.next()) {
      double bl = it.lower;
      double bu = it.upper;
      double bc = it.count;
      boolean zeroBucket = false;
      if (!custom && bl <= 0 && bu >= 0) {
        zeroBucket = true;
        if (h.negativeBuckets().length == 0 && h.positiveBuckets().length > 0) {
          bl = 0;
        } else if (h.positiveBuckets().length == 0 && h.negativeBuckets().length > 0) {
          bu = 0;
        }
      }
      if (custom) {
        if (bl == Double.NEGATIVE_INFINITY && bu > 0) {
          bl = 0;
        }
      }
      if (!lowerSet && bl >= lowerLimit) {
        lowerRank = rank;
        lowerSet = true;
      }
      if (!upperSet && bl >= upperLimit) {
        upperRank = rank;
        upperSet = true;
      }
      if (lowerSet && upperSet) {
        break;
      }
      if (!lowerSet && bl < lowerLimit && bu > lowerLimit) {
        lowerRank = interpolate(rank, bc, bl, bu, lowerLimit, custom || zeroBucket);
        lowerSet = true;
      }
      if (!upperSet && bl < upperLimit && bu > upperLimit) {
        upperRank = interpolate(rank, bc, bl, bu, upperLimit, custom || zeroBucket);
        upperSet = true;
      }
      if (lowerSet && upperSet) {
        break;
      }
      rank += bc;
    }
    if (!lowerSet || lowerRank > h.count()) {
      lowerRank = Math.min(rank, h.count());
    }
    if (!upperSet || upperRank > h.count()) {
      upperRank = Math.min(rank, h.count());
    }
    return (upperRank - lowerRank) / h.count();
  }

  private static double interpolate(double rank, double count, double lower, double upper, double v,
      boolean linear) {
    if (linear) {
      if (Double.isInfinite(lower) || Double.isInfinite(upper)) {
        // An unbounded custom bucket: no position inside it can be estimated.
        return Double.isInfinite(upper) ? rank : rank + count;
      }
      return rank + count * (v - lower) / (upper - lower);
    }
    double logLower = log2(Math.abs(lower));
    double logUpper = log2(Math.abs(upper));
    double logV = log2(Math.abs(v));
    double fraction;
    if (v > 0) {
      fraction = (logV - logLower) / (logUpper - logLower);
    } else {
      fraction = 1 - ((logV - logUpper) / (logLower - logUpper));
    }
    return rank + count * fraction;
  }
}
