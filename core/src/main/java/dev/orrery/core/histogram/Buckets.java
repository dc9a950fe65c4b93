package dev.orrery.core.histogram;

import java.util.Arrays;

/**
 * One side (positive or negative) of a histogram's buckets expanded from spans into parallel arrays of absolute bucket
 * indexes (ascending) and counts. The working form for arithmetic: merging two sides is a merge of sorted arrays.
 * Immutable by convention.
 */
public record Buckets(int[] indexes, double[] counts) {
  public static final Buckets EMPTY = new Buckets(new int[0], new double[0]);

  /** Expands {@code spans} over {@code counts}. */
  public static Buckets of(Span[] spans, double[] counts) {
    if (counts.length == 0) {
      return EMPTY;
    }
    int[] idx = new int[counts.length];
    int n = 0;
    int current = 0;
    for (int s = 0; s < spans.length; s++) {
      current += spans[s].offset();
      for (int j = 0; j < spans[s].length(); j++) {
        if (n < idx.length) {
          idx[n++] = current;
        }
        current++;
      }
    }
    if (n != counts.length) {
      throw new IllegalArgumentException("spans cover " + n + " buckets, but there are " + counts.length);
    }
    return new Buckets(idx, counts.clone());
  }

  public int size() {
    return indexes.length;
  }

  /** Spans for these indexes: consecutive indexes share a span (no empty buckets are added). */
  public Span[] spans() {
    if (indexes.length == 0) {
      return new Span[0];
    }
    Span[] out = new Span[indexes.length];
    int n = 0;
    int spanStart = indexes[0];
    int prevEnd = 0; // index after the previous span's last bucket
    int len = 1;
    for (int i = 1; i <= indexes.length; i++) {
      if (i < indexes.length && indexes[i] == indexes[i - 1] + 1) {
        len++;
        continue;
      }
      out[n++] = new Span(spanStart - prevEnd, len);
      prevEnd = spanStart + len;
      if (i < indexes.length) {
        spanStart = indexes[i];
        len = 1;
      }
    }
    return Arrays.copyOf(out, n);
  }

  /** Combines two sides index by index: {@code a + sign * b}. */
  public static Buckets merge(Buckets a, Buckets b, double sign) {
    int[] idx = new int[a.size() + b.size()];
    double[] cnt = new double[idx.length];
    int i = 0;
    int j = 0;
    int n = 0;
    while (i < a.size() || j < b.size()) {
      if (j >= b.size() || (i < a.size() && a.indexes[i] < b.indexes[j])) {
        idx[n] = a.indexes[i];
        cnt[n++] = a.counts[i++];
      } else if (i >= a.size() || b.indexes[j] < a.indexes[i]) {
        idx[n] = b.indexes[j];
        cnt[n++] = sign * b.counts[j++];
      } else {
        idx[n] = a.indexes[i];
        cnt[n++] = a.counts[i++] + sign * b.counts[j++];
      }
    }
    return new Buckets(Arrays.copyOf(idx, n), Arrays.copyOf(cnt, n));
  }

  /** Multiplies every count by {@code factor}. */
  public Buckets scale(double factor) {
    double[] c = counts.clone();
    for (int i = 0; i < c.length; i++) {
      c[i] *= factor;
    }
    return new Buckets(indexes, c);
  }

  /**
   * Maps exponential bucket indexes from {@code fromSchema} to the coarser {@code toSchema}, adding counts of buckets
   * that fall together (Prometheus' {@code targetIdx}).
   */
  public Buckets reduce(int fromSchema, int toSchema) {
    if (fromSchema == toSchema || indexes.length == 0) {
      return this;
    }
    int shift = fromSchema - toSchema;
    int[] idx = new int[indexes.length];
    double[] cnt = new double[indexes.length];
    int n = 0;
    for (int i = 0; i < indexes.length; i++) {
      int t = ((indexes[i] - 1) >> shift) + 1;
      if (n > 0 && idx[n - 1] == t) {
        cnt[n - 1] += counts[i];
      } else {
        idx[n] = t;
        cnt[n++] = counts[i];
      }
    }
    return new Buckets(Arrays.copyOf(idx, n), Arrays.copyOf(cnt, n));
  }

  /** Drops buckets whose count is exactly zero (Prometheus' {@code Compact(0)}). */
  public Buckets withoutEmpty() {
    int n = 0;
    for (double c : counts) {
      if (c != 0) {
        n++;
      }
    }
    if (n == counts.length) {
      return this;
    }
    int[] idx = new int[n];
    double[] cnt = new double[n];
    n = 0;
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] != 0) {
        idx[n] = indexes[i];
        cnt[n++] = counts[i];
      }
    }
    return new Buckets(idx, cnt);
  }

  /** The count at bucket index {@code index}, 0 when absent. */
  public double countAt(int index) {
    int p = Arrays.binarySearch(indexes, index);
    return p >= 0 ? counts[p] : 0;
  }
}
