package dev.orrery.promql.histogram;

import dev.orrery.core.histogram.BucketBounds;
import dev.orrery.core.histogram.Buckets;
import dev.orrery.core.histogram.CounterResetHint;
import dev.orrery.core.histogram.FloatHistogram;
import dev.orrery.core.histogram.Histogram;
import dev.orrery.core.histogram.HistogramArithmetic;
import dev.orrery.core.histogram.Span;
import dev.orrery.core.histogram.ZeroThresholds;
import dev.orrery.promql.function.KahanSum;
import java.util.Arrays;

/**
 * Sums or averages float histograms with Kahan-Neumaier compensation on every field (count, sum, zero bucket and
 * each bucket), as Prometheus 3 does for {@code sum}, {@code avg}, {@code sum_over_time} and {@code avg_over_time}.
 * The average is the compensated sum divided by the count until a field overflows; from then on it is computed
 * incrementally, as for floats. Layouts are reconciled like {@link HistogramArithmetic#add}. Confined to one thread.
 */
public final class HistogramAccumulator {
  private int schema;
  private double zeroThreshold;
  private double[] customValues;
  private CounterResetHint hint;
  private final double[] value = new double[3]; // count, sum, zero count
  private final double[] comp = new double[3];
  private int[] idx = new int[0];
  private double[] bv = new double[0];
  private double[] bc = new double[0];
  private int[] nidx = new int[0];
  private double[] nbv = new double[0];
  private double[] nbc = new double[0];
  private boolean incremental;
  private long n;
  private boolean collision;
  private boolean reconciled;
  private boolean incompatible;

  /** Starts with {@code h}. */
  public HistogramAccumulator(FloatHistogram h) {
    schema = h.schema();
    zeroThreshold = h.zeroThreshold();
    customValues = h.customValues();
    note(h.counterResetHint());
    value[0] = h.count();
    value[1] = h.sum();
    value[2] = h.zeroCount();
    Buckets p = Buckets.of(h.positiveSpans(), h.positiveBuckets());
    idx = p.indexes();
    bv = p.counts();
    bc = new double[bv.length];
    Buckets ng = Buckets.of(h.negativeSpans(), h.negativeBuckets());
    nidx = ng.indexes();
    nbv = ng.counts();
    nbc = new double[nbv.length];
    n = 1;
  }

  // Hints seen so far: a gauge makes the result a gauge; "reset" next to "not reset" anywhere in the sum is a
  // collision; otherwise mixed hints give "unknown".
  private boolean sawGauge;
  private boolean sawReset;
  private boolean sawNotReset;
  private boolean sawUnknown;

  private void note(CounterResetHint h) {
    switch (h) {
      case GAUGE -> sawGauge = true;
      case COUNTER_RESET -> sawReset = true;
      case NOT_COUNTER_RESET -> sawNotReset = true;
      case UNKNOWN -> sawUnknown = true;
    }
    collision = sawReset && sawNotReset;
    if (sawGauge) {
      hint = CounterResetHint.GAUGE;
    } else if (sawReset && !sawNotReset && !sawUnknown) {
      hint = CounterResetHint.COUNTER_RESET;
    } else if (sawNotReset && !sawReset && !sawUnknown) {
      hint = CounterResetHint.NOT_COUNTER_RESET;
    } else {
      hint = CounterResetHint.UNKNOWN;
    }
  }

  /** True when a counter reset hint collided with a not-reset hint. */
  public boolean counterResetCollision() {
    return collision;
  }

  /** True when differing custom bucket bounds were reconciled. */
  public boolean customBoundsReconciled() {
    return reconciled;
  }

  /** True when exponential and custom buckets were mixed; the result is then meaningless. */
  public boolean incompatible() {
    return incompatible;
  }

  private boolean custom() {
    return schema == Histogram.CUSTOM_BUCKETS_SCHEMA;
  }

  private FloatHistogram aligned(FloatHistogram h) {
    boolean hc = HistogramArithmetic.usesCustomBuckets(h);
    if (hc != custom()) {
      incompatible = true;
      return null;
    }
    note(h.counterResetHint());
    if (hc) {
      if (!Arrays.equals(customValues, h.customValues())) {
        double[] bounds = HistogramArithmetic.intersect(customValues, h.customValues());
        remapSelf(bounds);
        Buckets hb = HistogramArithmetic.remapCustom(Buckets.of(h.positiveSpans(), h.positiveBuckets()),
            h.customValues(), bounds);
        customValues = bounds;
        reconciled = true;
        return new FloatHistogram(h.counterResetHint(), h.schema(), 0, 0, h.count(), h.sum(), hb.spans(),
            hb.counts(), new Span[0], new double[0], bounds);
      }
      return h;
    }
    if (h.zeroThreshold() > zeroThreshold) {
      widenSelf(h.zeroThreshold());
    }
    if (zeroThreshold > h.zeroThreshold()) {
      h = ZeroThresholds.widen(h, zeroThreshold);
      if (h.zeroThreshold() > zeroThreshold) {
        widenSelf(h.zeroThreshold());
      }
    }
    if (h.schema() < schema) {
      reduceSelf(h.schema());
    } else if (h.schema() > schema) {
      h = HistogramArithmetic.reduceResolution(h, schema);
    }
    return h;
  }

  private void remapSelf(double[] bounds) {
    int[] ni = new int[idx.length];
    double[] nv = new double[idx.length];
    double[] nc = new double[idx.length];
    int w = 0;
    for (int i = 0; i < idx.length; i++) {
      double upper = BucketBounds.customUpper(idx[i], customValues);
      int k = 0;
      while (k < bounds.length && bounds[k] < upper) {
        k++;
      }
      if (w > 0 && ni[w - 1] == k) {
        nv[w - 1] += bv[i];
        nc[w - 1] += bc[i];
      } else {
        ni[w] = k;
        nv[w] = bv[i];
        nc[w++] = bc[i];
      }
    }
    idx = Arrays.copyOf(ni, w);
    bv = Arrays.copyOf(nv, w);
    bc = Arrays.copyOf(nc, w);
  }

  private void reduceSelf(int target) {
    int shift = schema - target;
    idx = reduce(idx, bv, bc, shift, true);
    nidx = reduce(nidx, nbv, nbc, shift, false);
    schema = target;
  }

  private int[] reduce(int[] ix, double[] v, double[] c, int shift, boolean positive) {
    int w = 0;
    int[] out = new int[ix.length];
    for (int i = 0; i < ix.length; i++) {
      int t = ((ix[i] - 1) >> shift) + 1;
      if (w > 0 && out[w - 1] == t) {
        v[w - 1] += v[i];
        c[w - 1] += c[i];
      } else {
        out[w] = t;
        v[w] = v[i];
        c[w++] = c[i];
      }
    }
    if (positive) {
      bv = Arrays.copyOf(v, w);
      bc = Arrays.copyOf(c, w);
    } else {
      nbv = Arrays.copyOf(v, w);
      nbc = Arrays.copyOf(c, w);
    }
    return Arrays.copyOf(out, w);
  }

  private void widenSelf(double threshold) {
    FloatHistogram widened = ZeroThresholds.widen(current(false), threshold);
    // Move compensation terms of absorbed buckets into the zero bucket's compensation.
    double zc = comp[2];
    for (int i = 0; i < idx.length; i++) {
      if (BucketBounds.lower(idx[i], schema) < widened.zeroThreshold()) {
        zc += bc[i];
      }
    }
    for (int i = 0; i < nidx.length; i++) {
      if (BucketBounds.lower(nidx[i], schema) < widened.zeroThreshold()) {
        zc += nbc[i];
      }
    }
    int keepP = 0;
    while (keepP < idx.length && BucketBounds.lower(idx[keepP], schema) < widened.zeroThreshold()) {
      keepP++;
    }
    int keepN = 0;
    while (keepN < nidx.length && BucketBounds.lower(nidx[keepN], schema) < widened.zeroThreshold()) {
      keepN++;
    }
    idx = Arrays.copyOfRange(idx, keepP, idx.length);
    bv = Arrays.copyOfRange(bv, keepP, bv.length);
    bc = Arrays.copyOfRange(bc, keepP, bc.length);
    nidx = Arrays.copyOfRange(nidx, keepN, nidx.length);
    nbv = Arrays.copyOfRange(nbv, keepN, nbv.length);
    nbc = Arrays.copyOfRange(nbc, keepN, nbc.length);
    value[2] = widened.zeroCount();
    comp[2] = zc;
    zeroThreshold = widened.zeroThreshold();
  }

  /** Adds {@code h} to the running sum. */
  public void add(FloatHistogram h) {
    FloatHistogram a = aligned(h);
    if (a == null) {
      return;
    }
    n++;
    if (incremental) {
      incrementalStep(a);
      return;
    }
    kahan(a, 1, 1, 1);
  }

  /** Adds {@code h} for an average: compensated sum while no field overflows, then incremental means. */
  public void addForMean(FloatHistogram h) {
    FloatHistogram a = aligned(h);
    if (a == null) {
      return;
    }
    n++;
    if (!incremental) {
      double[] saveV = value.clone();
      double[] saveC = comp.clone();
      int[] si = idx;
      double[] sv = bv.clone();
      double[] sc = bc.clone();
      int[] sni = nidx;
      double[] snv = nbv.clone();
      double[] snc = nbc.clone();
      kahan(a, 1, 1, 1);
      if (!overflowed()) {
        return;
      }
      // Revert and switch to incremental means from the mean so far.
      System.arraycopy(saveV, 0, value, 0, 3);
      System.arraycopy(saveC, 0, comp, 0, 3);
      idx = si;
      bv = sv;
      bc = sc;
      nidx = sni;
      nbv = snv;
      nbc = snc;
      incremental = true;
      double prev = n - 1;
      scaleAll(1 / prev);
    }
    incrementalStep(a);
  }

  private void incrementalStep(FloatHistogram a) {
    double q = (n - 1) / (double) n;
    kahan(a, 1.0 / n, q, q);
  }

  private void scaleAll(double f) {
    for (int i = 0; i < 3; i++) {
      value[i] *= f;
      comp[i] *= f;
    }
    for (int i = 0; i < bv.length; i++) {
      bv[i] *= f;
      bc[i] *= f;
    }
    for (int i = 0; i < nbv.length; i++) {
      nbv[i] *= f;
      nbc[i] *= f;
    }
  }

  /** True when a field of the running sum is infinite. */
  public boolean overflowed() {
    for (double v : value) {
      if (Double.isInfinite(v)) {
        return true;
      }
    }
    for (double v : bv) {
      if (Double.isInfinite(v)) {
        return true;
      }
    }
    for (double v : nbv) {
      if (Double.isInfinite(v)) {
        return true;
      }
    }
    return false;
  }

  // value = kahan(inc * incScale, value * valueScale, comp * compScale) for every field.
  private void kahan(FloatHistogram a, double incScale, double valueScale, double compScale) {
    double[] inc = {a.count(), a.sum(), a.zeroCount()};
    for (int i = 0; i < 3; i++) {
      double x = inc[i] * incScale;
      double base = value[i] * valueScale;
      double c = KahanSum.compensation(x, base, comp[i] * compScale);
      value[i] = base + x;
      comp[i] = c;
    }
    Buckets p = Buckets.of(a.positiveSpans(), a.positiveBuckets());
    Object[] r = mergeKahan(idx, bv, bc, p, incScale, valueScale, compScale);
    idx = (int[]) r[0];
    bv = (double[]) r[1];
    bc = (double[]) r[2];
    if (!custom()) {
      Buckets ng = Buckets.of(a.negativeSpans(), a.negativeBuckets());
      r = mergeKahan(nidx, nbv, nbc, ng, incScale, valueScale, compScale);
      nidx = (int[]) r[0];
      nbv = (double[]) r[1];
      nbc = (double[]) r[2];
    }
  }

  private static Object[] mergeKahan(int[] ix, double[] v, double[] c, Buckets inc, double incScale,
      double valueScale, double compScale) {
    int[] oi = new int[ix.length + inc.size()];
    double[] ov = new double[oi.length];
    double[] oc = new double[oi.length];
    int i = 0;
    int j = 0;
    int w = 0;
    while (i < ix.length || j < inc.size()) {
      double base;
      double cc;
      double x;
      int index;
      if (j >= inc.size() || (i < ix.length && ix[i] < inc.indexes()[j])) {
        index = ix[i];
        base = v[i] * valueScale;
        cc = c[i] * compScale;
        x = 0;
        i++;
      } else if (i >= ix.length || inc.indexes()[j] < ix[i]) {
        index = inc.indexes()[j];
        base = 0;
        cc = 0;
        x = inc.counts()[j] * incScale;
        j++;
      } else {
        index = ix[i];
        base = v[i] * valueScale;
        cc = c[i] * compScale;
        x = inc.counts()[j] * incScale;
        i++;
        j++;
      }
      oi[w] = index;
      oc[w] = KahanSum.compensation(x, base, cc);
      ov[w++] = base + x;
    }
    return new Object[] {Arrays.copyOf(oi, w), Arrays.copyOf(ov, w), Arrays.copyOf(oc, w)};
  }

  private FloatHistogram current(boolean compensated) {
    double[] pv = bv.clone();
    double[] qv = nbv.clone();
    double count = value[0];
    double sum = value[1];
    double zero = value[2];
    if (compensated) {
      for (int i = 0; i < pv.length; i++) {
        pv[i] += bc[i];
      }
      for (int i = 0; i < qv.length; i++) {
        qv[i] += nbc[i];
      }
      count += comp[0];
      sum += comp[1];
      zero += comp[2];
    }
    Buckets p = new Buckets(idx, pv);
    Buckets q = new Buckets(nidx, qv);
    return new FloatHistogram(hint, schema, zeroThreshold, zero, count, sum, p.spans(), p.counts(), q.spans(),
        q.counts(), custom() ? customValues : new double[0]);
  }

  /** The compensated sum, compacted. */
  public FloatHistogram sum() {
    return HistogramArithmetic.compact(current(true));
  }

  /** The mean of everything added (with {@link #addForMean}), compacted. */
  public FloatHistogram mean() {
    FloatHistogram h = current(true);
    return HistogramArithmetic.compact(incremental ? h : HistogramArithmetic.divide(h, n));
  }

  /** Number of histograms added, the first included. */
  public long count() {
    return n;
  }
}
