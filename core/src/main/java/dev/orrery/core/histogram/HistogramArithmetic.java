package dev.orrery.core.histogram;

import java.util.Arrays;

/**
 * Addition, subtraction and scaling of float histograms (Prometheus' {@code FloatHistogram.Add/Sub/Mul/Div}). Mixed
 * schemas are reduced to the coarser one, differing zero thresholds widened to the larger one, and differing custom
 * bucket bounds (NHCB) reconciled to their intersection. Results are compacted (no empty buckets).
 */
public final class HistogramArithmetic {
  private HistogramArithmetic() {}

  /**
   * The outcome of an addition or subtraction.
   *
   * @param value the result, {@code null} when the operands are incompatible
   * @param counterResetCollision a counter reset hint collided with a not-counter-reset hint
   * @param customBoundsReconciled custom bucket bounds differed and were reconciled
   */
  public record Result(FloatHistogram value, boolean counterResetCollision, boolean customBoundsReconciled) {
    /** True when the operands mix exponential and custom buckets. */
    public boolean incompatible() {
      return value == null;
    }
  }

  private static final Result INCOMPATIBLE = new Result(null, false, false);

  /** True when {@code h} uses custom bucket bounds. */
  public static boolean usesCustomBuckets(FloatHistogram h) {
    return h.schema() == Histogram.CUSTOM_BUCKETS_SCHEMA;
  }

  /** {@code a + b}. */
  public static Result add(FloatHistogram a, FloatHistogram b) {
    return combine(a, b, 1);
  }

  /** {@code a - b}. */
  public static Result sub(FloatHistogram a, FloatHistogram b) {
    return combine(a, b, -1);
  }

  private static Result combine(FloatHistogram a, FloatHistogram b, double sign) {
    boolean customA = usesCustomBuckets(a);
    if (customA != usesCustomBuckets(b)) {
      return INCOMPATIBLE;
    }
    boolean collision = false;
    CounterResetHint hint = a.counterResetHint();
    CounterResetHint other = b.counterResetHint();
    if (other == hint) {
      // apples to apples
    } else if (hint == CounterResetHint.GAUGE) {
      // stays a gauge
    } else if (other == CounterResetHint.GAUGE) {
      hint = CounterResetHint.GAUGE;
    } else if (hint == CounterResetHint.UNKNOWN) {
      // stays unknown
    } else if (other == CounterResetHint.UNKNOWN) {
      hint = CounterResetHint.UNKNOWN;
    } else {
      hint = CounterResetHint.UNKNOWN;
      collision = true;
    }
    if (customA) {
      return combineCustom(a, b, sign, hint, collision);
    }
    // Widen zero buckets until both agree (Prometheus' reconcileZeroBuckets).
    ZeroBucket za = new ZeroBucket(a);
    ZeroBucket zb = new ZeroBucket(b);
    while (za.threshold != zb.threshold) {
      if (za.threshold > zb.threshold) {
        zb.widenTo(za.threshold);
      }
      if (zb.threshold > za.threshold) {
        za.widenTo(zb.threshold);
      }
    }
    int schema = Math.min(a.schema(), b.schema());
    Buckets pos = Buckets.merge(za.positive.reduce(a.schema(), schema), zb.positive.reduce(b.schema(), schema), sign);
    Buckets neg = Buckets.merge(za.negative.reduce(a.schema(), schema), zb.negative.reduce(b.schema(), schema), sign);
    pos = pos.withoutEmpty();
    neg = neg.withoutEmpty();
    FloatHistogram r = new FloatHistogram(hint, schema, za.threshold, za.count + sign * zb.count,
        a.count() + sign * b.count(), a.sum() + sign * b.sum(), pos.spans(), pos.counts(), neg.spans(),
        neg.counts(), new double[0]);
    return new Result(r, collision, false);
  }

  private static Result combineCustom(FloatHistogram a, FloatHistogram b, double sign, CounterResetHint hint,
      boolean collision) {
    Buckets pa = Buckets.of(a.positiveSpans(), a.positiveBuckets());
    Buckets pb = Buckets.of(b.positiveSpans(), b.positiveBuckets());
    double[] bounds = a.customValues();
    boolean reconciled = false;
    if (!Arrays.equals(a.customValues(), b.customValues())) {
      bounds = intersect(a.customValues(), b.customValues());
      pa = remapCustom(pa, a.customValues(), bounds);
      pb = remapCustom(pb, b.customValues(), bounds);
      reconciled = true;
    }
    Buckets pos = Buckets.merge(pa, pb, sign).withoutEmpty();
    FloatHistogram r = new FloatHistogram(hint, Histogram.CUSTOM_BUCKETS_SCHEMA, 0, 0, a.count() + sign * b.count(),
        a.sum() + sign * b.sum(), pos.spans(), pos.counts(), new dev.orrery.core.histogram.Span[0], new double[0],
        bounds);
    return new Result(r, collision, reconciled);
  }

  /** The bounds present in both sorted arrays. */
  public static double[] intersect(double[] x, double[] y) {
    double[] out = new double[Math.min(x.length, y.length)];
    int i = 0;
    int j = 0;
    int n = 0;
    while (i < x.length && j < y.length) {
      if (x[i] == y[j]) {
        out[n++] = x[i];
        i++;
        j++;
      } else if (x[i] < y[j]) {
        i++;
      } else {
        j++;
      }
    }
    return Arrays.copyOf(out, n);
  }

  /** Moves each custom bucket into the bucket of {@code to} (a subset of {@code from}) that contains it. */
  public static Buckets remapCustom(Buckets b, double[] from, double[] to) {
    int[] idx = new int[b.size()];
    double[] cnt = new double[b.size()];
    int n = 0;
    for (int i = 0; i < b.size(); i++) {
      double upper = BucketBounds.customUpper(b.indexes()[i], from);
      int k = 0;
      while (k < to.length && to[k] < upper) {
        k++;
      }
      if (n > 0 && idx[n - 1] == k) {
        cnt[n - 1] += b.counts()[i];
      } else {
        idx[n] = k;
        cnt[n++] = b.counts()[i];
      }
    }
    return new Buckets(Arrays.copyOf(idx, n), Arrays.copyOf(cnt, n));
  }

  /** {@code h * factor}: count, sum, zero count and buckets scaled. */
  public static FloatHistogram scale(FloatHistogram h, double factor) {
    double[] pos = h.positiveBuckets().clone();
    for (int i = 0; i < pos.length; i++) {
      pos[i] *= factor;
    }
    double[] neg = h.negativeBuckets().clone();
    for (int i = 0; i < neg.length; i++) {
      neg[i] *= factor;
    }
    return new FloatHistogram(h.counterResetHint(), h.schema(), h.zeroThreshold(), h.zeroCount() * factor,
        h.count() * factor, h.sum() * factor, h.positiveSpans(), pos, h.negativeSpans(), neg, h.customValues());
  }

  /** {@code h / divisor}. */
  public static FloatHistogram divide(FloatHistogram h, double divisor) {
    if (divisor == 0) {
      // Division by zero removes all buckets (Prometheus' FloatHistogram.Div).
      return new FloatHistogram(h.counterResetHint(), h.schema(), h.zeroThreshold(), h.zeroCount() / divisor,
          h.count() / divisor, h.sum() / divisor, new Span[0], new double[0], new Span[0], new double[0],
          h.customValues());
    }
    double[] pos = h.positiveBuckets().clone();
    for (int i = 0; i < pos.length; i++) {
      pos[i] /= divisor;
    }
    double[] neg = h.negativeBuckets().clone();
    for (int i = 0; i < neg.length; i++) {
      neg[i] /= divisor;
    }
    return new FloatHistogram(h.counterResetHint(), h.schema(), h.zeroThreshold(), h.zeroCount() / divisor,
        h.count() / divisor, h.sum() / divisor, h.positiveSpans(), pos, h.negativeSpans(), neg, h.customValues());
  }

  /** {@code h} with another counter reset hint. */
  public static FloatHistogram withHint(FloatHistogram h, CounterResetHint hint) {
    if (h.counterResetHint() == hint) {
      return h;
    }
    return new FloatHistogram(hint, h.schema(), h.zeroThreshold(), h.zeroCount(), h.count(), h.sum(),
        h.positiveSpans(), h.positiveBuckets(), h.negativeSpans(), h.negativeBuckets(), h.customValues());
  }

  /** {@code h} without empty buckets and with merged spans (Prometheus' {@code Compact(0)}). */
  public static FloatHistogram compact(FloatHistogram h) {
    Buckets pos = Buckets.of(h.positiveSpans(), h.positiveBuckets()).withoutEmpty();
    Buckets neg = Buckets.of(h.negativeSpans(), h.negativeBuckets()).withoutEmpty();
    return new FloatHistogram(h.counterResetHint(), h.schema(), h.zeroThreshold(), h.zeroCount(), h.count(), h.sum(),
        pos.spans(), pos.counts(), neg.spans(), neg.counts(), h.customValues());
  }

  /** {@code h} at the coarser {@code schema} (Prometheus' {@code ReduceResolution}); custom buckets stay. */
  public static FloatHistogram reduceResolution(FloatHistogram h, int schema) {
    if (usesCustomBuckets(h) || schema >= h.schema()) {
      return h;
    }
    Buckets pos = Buckets.of(h.positiveSpans(), h.positiveBuckets()).reduce(h.schema(), schema);
    Buckets neg = Buckets.of(h.negativeSpans(), h.negativeBuckets()).reduce(h.schema(), schema);
    return new FloatHistogram(h.counterResetHint(), schema, h.zeroThreshold(), h.zeroCount(), h.count(), h.sum(),
        pos.spans(), pos.counts(), neg.spans(), neg.counts(), h.customValues());
  }

  /** A zero bucket being widened, with the buckets that remain outside it. */
  static final class ZeroBucket {
    final int schema;
    double threshold;
    double count;
    Buckets positive;
    Buckets negative;

    ZeroBucket(FloatHistogram h) {
      schema = h.schema();
      threshold = h.zeroThreshold();
      count = h.zeroCount();
      positive = Buckets.of(h.positiveSpans(), h.positiveBuckets());
      negative = Buckets.of(h.negativeSpans(), h.negativeBuckets());
    }

    /**
     * Prometheus' {@code zeroCountForLargerThreshold} plus {@code trimBucketsInZeroBucket}: buckets below the new
     * threshold join the zero bucket; a populated bucket that straddles it pulls the threshold up to its bound.
     */
    void widenTo(double larger) {
      if (larger <= threshold) {
        return;
      }
      outer:
      while (true) {
        double c = count;
        for (int i = 0; i < positive.size(); i++) {
          double lower = BucketBounds.lower(positive.indexes()[i], schema);
          double upper = BucketBounds.upper(positive.indexes()[i], schema);
          if (lower >= larger) {
            break;
          }
          c += positive.counts()[i];
          if (upper > larger) {
            if (positive.counts()[i] != 0) {
              larger = upper;
            }
            break;
          }
        }
        for (int i = 0; i < negative.size(); i++) {
          double upper = -BucketBounds.lower(negative.indexes()[i], schema);
          double lower = -BucketBounds.upper(negative.indexes()[i], schema);
          if (upper <= -larger) {
            break;
          }
          c += negative.counts()[i];
          if (lower < -larger) {
            if (negative.counts()[i] != 0) {
              larger = -lower;
              continue outer;
            }
            break;
          }
        }
        count = c;
        threshold = larger;
        positive = trim(positive);
        negative = trim(negative);
        return;
      }
    }

    private Buckets trim(Buckets b) {
      int first = 0;
      while (first < b.size() && BucketBounds.lower(b.indexes()[first], schema) < threshold) {
        first++;
      }
      if (first == 0) {
        return b;
      }
      return new Buckets(Arrays.copyOfRange(b.indexes(), first, b.size()),
          Arrays.copyOfRange(b.counts(), first, b.size()));
    }
  }
}
