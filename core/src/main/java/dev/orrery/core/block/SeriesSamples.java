package dev.orrery.core.block;

import java.util.Arrays;

/**
 * The float samples of one series gathered by a {@link BlockWriter}, in primitive arrays. Appends in time order are
 * the fast path; out-of-order appends are sorted once at commit. Confined to one thread.
 */
final class SeriesSamples {
  long[] t = new long[32];
  double[] v = new double[32];
  int size;
  private boolean sorted = true;

  void append(long ts, double val) {
    if (size == t.length) {
      t = Arrays.copyOf(t, size * 2);
      v = Arrays.copyOf(v, size * 2);
    }
    if (size > 0 && ts <= t[size - 1]) {
      sorted = false;
    }
    t[size] = ts;
    v[size] = val;
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
    int n = 0;
    for (int k = 0; k < size; k++) {
      int i = order[k];
      if (n > 0 && nt[n - 1] == t[i]) {
        if (Double.doubleToRawLongBits(nv[n - 1]) != Double.doubleToRawLongBits(v[i])) {
          throw new IllegalArgumentException("duplicate sample for timestamp " + t[i] + " with different values ("
              + nv[n - 1] + ", " + v[i] + ") in series " + seriesForErrors);
        }
        continue;
      }
      nt[n] = t[i];
      nv[n] = v[i];
      n++;
    }
    t = nt;
    v = nv;
    size = n;
    sorted = true;
  }
}
