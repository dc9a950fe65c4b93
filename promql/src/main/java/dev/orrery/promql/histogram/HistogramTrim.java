package dev.orrery.promql.histogram;

import dev.orrery.core.histogram.BucketBounds;
import dev.orrery.core.histogram.Buckets;
import dev.orrery.core.histogram.FloatHistogram;
import dev.orrery.core.histogram.HistogramArithmetic;
import dev.orrery.core.histogram.Span;

/**
 * The trim operators of Prometheus 3.11: {@code h </ v} keeps the observations at or below {@code v}, {@code h >/ v}
 * those above. A bucket the cut runs through keeps a share of its count (log-scale interpolation for exponential
 * buckets, linear for custom buckets and the zero bucket). When anything was cut, count and sum are recomputed from
 * the kept buckets, each observation placed at the geometric mean (exponential), midpoint (custom, zero bucket) or
 * finite bound (the open-ended custom buckets) of its kept interval. An untouched histogram is returned as is.
 */
public final class HistogramTrim {
  private HistogramTrim() {}

  private static final class State {
    boolean trimmed;
    double count;
    double sum;
  }

  /**
   * Trims {@code h} at {@code v}.
   *
   * @param keepBelow true for {@code </} (keep observations ≤ v), false for {@code >/}
   */
  public static FloatHistogram trim(FloatHistogram h, double v, boolean keepBelow) {
    State st = new State();
    boolean custom = HistogramArithmetic.usesCustomBuckets(h);
    double[] pos = h.positiveBuckets().clone();
    double[] neg = h.negativeBuckets().clone();
    double zero = h.zeroCount();
    if (custom) {
      Buckets b = Buckets.of(h.positiveSpans(), h.positiveBuckets());
      double[] cv = h.customValues();
      for (int i = 0; i < b.size(); i++) {
        int idx = b.indexes()[i];
        double lo = BucketBounds.customLower(idx, cv);
        double hi = BucketBounds.customUpper(idx, cv);
        pos[i] = customBucket(st, b.counts()[i], lo, hi, v, keepBelow);
      }
    } else {
      int schema = h.schema();
      Buckets p = Buckets.of(h.positiveSpans(), h.positiveBuckets());
      for (int i = 0; i < p.size(); i++) {
        int idx = p.indexes()[i];
        pos[i] = exponentialBucket(st, p.counts()[i], BucketBounds.lower(idx, schema),
            BucketBounds.upper(idx, schema), v, keepBelow);
      }
      Buckets n = Buckets.of(h.negativeSpans(), h.negativeBuckets());
      for (int i = 0; i < n.size(); i++) {
        int idx = n.indexes()[i];
        neg[i] = exponentialBucket(st, n.counts()[i], -BucketBounds.upper(idx, schema),
            -BucketBounds.lower(idx, schema), v, keepBelow);
      }
      double zlo = -h.zeroThreshold();
      double zhi = h.zeroThreshold();
      if (h.negativeBuckets().length == 0 && h.positiveBuckets().length > 0) {
        zlo = 0;
      } else if (h.positiveBuckets().length == 0 && h.negativeBuckets().length > 0) {
        zhi = 0;
      }
      zero = linearBucket(st, h.zeroCount(), zlo, zhi, v, keepBelow);
    }
    if (!st.trimmed) {
      return h;
    }
    return new FloatHistogram(h.counterResetHint(), h.schema(), h.zeroThreshold(), zero, st.count, st.sum,
        h.positiveSpans(), pos, custom ? new Span[0] : h.negativeSpans(), custom ? new double[0] : neg,
        h.customValues());
  }

  // Keeps the part of [lo, hi] on the kept side of v; returns the new count and accounts for it.
  private static double linearBucket(State st, double count, double lo, double hi, double v, boolean keepBelow) {
    double a = keepBelow ? lo : Math.max(lo, v);
    double b = keepBelow ? Math.min(hi, v) : hi;
    if (b < a || (b == a && hi > lo)) {
      return drop(st, count);
    }
    double frac = hi > lo ? Math.min(1, (b - a) / (hi - lo)) : 1;
    return keep(st, count, frac, (a + b) / 2);
  }

  private static double exponentialBucket(State st, double count, double lo, double hi, double v,
      boolean keepBelow) {
    double a = keepBelow ? lo : Math.max(lo, v);
    double b = keepBelow ? Math.min(hi, v) : hi;
    if (b <= a) {
      return drop(st, count);
    }
    double frac;
    if (a == lo && b == hi) {
      frac = 1;
    } else {
      double la = Math.log(Math.abs(a));
      double lb = Math.log(Math.abs(b));
      double llo = Math.log(Math.abs(lo));
      double lhi = Math.log(Math.abs(hi));
      frac = Math.abs(lb - la) / Math.abs(lhi - llo);
    }
    double rep = Math.sqrt(Math.abs(a) * Math.abs(b));
    return keep(st, count, frac, a < 0 ? -rep : rep);
  }

  private static double customBucket(State st, double count, double lo, double hi, double v, boolean keepBelow) {
    boolean openLow = lo == Double.NEGATIVE_INFINITY;
    boolean openHigh = hi == Double.POSITIVE_INFINITY;
    if (openLow && openHigh) {
      boolean keepAll = keepBelow ? v == Double.POSITIVE_INFINITY : v == Double.NEGATIVE_INFINITY;
      return keepAll ? keep(st, count, 1, 0) : drop(st, count);
    }
    if (openHigh) {
      if (keepBelow) {
        return v == Double.POSITIVE_INFINITY ? keep(st, count, 1, lo) : drop(st, count);
      }
      if (v == Double.POSITIVE_INFINITY) {
        return drop(st, count);
      }
      return keep(st, count, 1, Math.max(lo, v));
    }
    if (openLow) {
      if (hi > 0) {
        // The first bucket reaches down to 0 when its upper bound is positive.
        if (keepBelow) {
          if (v <= 0) {
            return drop(st, count);
          }
          return linearBucket(st, count, 0, hi, v, true);
        }
        if (v == Double.NEGATIVE_INFINITY) {
          return keep(st, count, 1, hi / 2);
        }
        if (v < 0) {
          return drop(st, count);
        }
        return linearBucket(st, count, 0, hi, v, false);
      }
      if (keepBelow) {
        return keep(st, count, 1, Math.min(hi, v));
      }
      return v == Double.NEGATIVE_INFINITY ? keep(st, count, 1, hi) : drop(st, count);
    }
    return linearBucket(st, count, lo, hi, v, keepBelow);
  }

  private static double keep(State st, double count, double frac, double rep) {
    double kept = count * frac;
    if (kept != count) {
      st.trimmed = true;
    }
    st.count += kept;
    if (kept != 0) {
      st.sum += kept * rep;
    }
    return kept;
  }

  private static double drop(State st, double count) {
    if (count != 0) {
      st.trimmed = true;
    }
    return 0;
  }
}
