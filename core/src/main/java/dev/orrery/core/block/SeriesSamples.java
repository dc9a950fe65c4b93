package dev.orrery.core.block;

import dev.orrery.core.histogram.FloatHistogram;
import java.util.Arrays;

/**
 * The samples of one series gathered by a {@link BlockWriter}, in primitive arrays; native histogram samples in a
 * parallel array that exists only once the series has one ({@code null} entries are float samples). Appends in time
 * order are the fast path; out-of-order appends are sorted once at commit. Confined to one thread.
 */
final class SeriesSamples {
  long[] t = new long[32];
  double[] v = new double[32];
  /** The histogram at each index, {@code null} for a float sample; {@code null} while the series has floats only. */
  FloatHistogram[] h;
  int size;
  private boolean sorted = true;

  void append(long ts, double val) {
    add(ts, val, null);
  }

  void append(long ts, FloatHistogram histogram) {
    if (h == null) {
      h = new FloatHistogram[t.length];
    }
    add(ts, Double.NaN, histogram);
  }

  private void add(long ts, double val, FloatHistogram histogram) {
    if (size == t.length) {
      t = Arrays.copyOf(t, size * 2);
      v = Arrays.copyOf(v, size * 2);
      if (h != null) {
        h = Arrays.copyOf(h, size * 2);
      }
    }
    if (size > 0 && ts <= t[size - 1]) {
      sorted = false;
    }
    t[size] = ts;
    v[size] = val;
    if (h != null) {
      h[size] = histogram;
    }
    size++;
  }

  /**
   * Sorts by timestamp and removes duplicates. A timestamp appended twice with the same value bits is kept once; with
   * different values the block would be ambiguous, so it is rejected.
   *
   * @throws IllegalArgumentException on a duplicate timestamp with a different value
   */
  void sortAndDedupe(Object seriesForErrors) {
    if (sorted) {
      return;
    }
    Integer[] order = new Integer[size];
    for (int i = 0; i < size; i++) {
      order[i] = i;
    }
    // Stable sort keeps append order among equal timestamps, so the error names the first conflicting pair.
    Arrays.sort(order, (a, b) -> Long.compare(t[a], t[b]));
    long[] nt = new long[size];
    double[] nv = new double[size];
    FloatHistogram[] nh = h == null ? null : new FloatHistogram[size];
    int n = 0;
    for (int k = 0; k < size; k++) {
      int i = order[k];
      if (n > 0 && nt[n - 1] == t[i]) {
        int kept = order[k - 1];
        if (!sameSample(kept, i)) {
          throw new IllegalArgumentException("duplicate sample for timestamp " + t[i] + " with different values ("
              + describe(kept) + ", " + describe(i) + ") in series " + seriesForErrors);
        }
        continue;
      }
      nt[n] = t[i];
      nv[n] = v[i];
      if (nh != null) {
        nh[n] = h[i];
      }
      n++;
    }
    t = nt;
    v = nv;
    h = nh;
    size = n;
    sorted = true;
  }

  private boolean sameSample(int a, int b) {
    FloatHistogram ha = h == null ? null : h[a];
    FloatHistogram hb = h == null ? null : h[b];
    if (ha == null || hb == null) {
      return ha == hb && Double.doubleToRawLongBits(v[a]) == Double.doubleToRawLongBits(v[b]);
    }
    return ha.counterResetHint() == hb.counterResetHint() && ha.schema() == hb.schema()
        && Double.compare(ha.zeroThreshold(), hb.zeroThreshold()) == 0
        && Double.compare(ha.zeroCount(), hb.zeroCount()) == 0 && Double.compare(ha.count(), hb.count()) == 0
        && Double.compare(ha.sum(), hb.sum()) == 0 && Arrays.equals(ha.positiveSpans(), hb.positiveSpans())
        && Arrays.equals(ha.positiveBuckets(), hb.positiveBuckets())
        && Arrays.equals(ha.negativeSpans(), hb.negativeSpans())
        && Arrays.equals(ha.negativeBuckets(), hb.negativeBuckets())
        && Arrays.equals(ha.customValues(), hb.customValues());
  }

  private String describe(int i) {
    return h != null && h[i] != null ? "a histogram of count " + h[i].count() : String.valueOf(v[i]);
  }
}
