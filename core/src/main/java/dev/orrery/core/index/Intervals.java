package dev.orrery.core.index;

import java.util.Arrays;

/**
 * Deleted time ranges of one series: closed intervals {@code [minTime, maxTime]} in milliseconds, sorted, disjoint and
 * never adjacent (an interval ending at {@code t} and one starting at {@code t + 1} are merged, as Prometheus'
 * {@code tombstones.Intervals.Add} does). Immutable and thread-safe; {@link #cursor()} gives a single-threaded helper
 * for iterators that test ascending timestamps.
 */
public final class Intervals {
  private static final Intervals EMPTY = new Intervals(new long[0]);

  // minTime0, maxTime0, minTime1, maxTime1, ...
  private final long[] bounds;

  private Intervals(long[] bounds) {
    this.bounds = bounds;
  }

  /** No deleted ranges. */
  public static Intervals empty() {
    return EMPTY;
  }

  /**
   * One interval.
   *
   * @throws IllegalArgumentException if {@code minTime > maxTime}
   */
  public static Intervals of(long minTime, long maxTime) {
    return EMPTY.add(minTime, maxTime);
  }

  /**
   * These intervals plus {@code [minTime, maxTime]}, merged with every interval it overlaps or touches.
   *
   * @throws IllegalArgumentException if {@code minTime > maxTime}
   */
  public Intervals add(long minTime, long maxTime) {
    if (minTime > maxTime) {
      throw new IllegalArgumentException("interval minTime " + minTime + " > maxTime " + maxTime);
    }
    int n = size();
    // first: the first interval that ends at or after minTime - 1 (touching counts); overflow-safe.
    int first = 0;
    while (first < n && maxTime(first) < minTime && maxTime(first) + 1 < minTime) {
      first++;
    }
    // end: one past the last interval that starts at or before maxTime + 1.
    int end = first;
    while (end < n && (minTime(end) <= maxTime || minTime(end) - 1 <= maxTime)) {
      end++;
    }
    long lo = minTime;
    long hi = maxTime;
    if (end > first) {
      lo = Math.min(lo, minTime(first));
      hi = Math.max(hi, maxTime(end - 1));
    }
    long[] out = new long[2 * (n - (end - first) + 1)];
    System.arraycopy(bounds, 0, out, 0, 2 * first);
    out[2 * first] = lo;
    out[2 * first + 1] = hi;
    System.arraycopy(bounds, 2 * end, out, 2 * first + 2, 2 * (n - end));
    return new Intervals(out);
  }

  /** All intervals of {@code other} added to these. */
  public Intervals addAll(Intervals other) {
    Intervals r = this;
    for (int i = 0; i < other.size(); i++) {
      r = r.add(other.minTime(i), other.maxTime(i));
    }
    return r;
  }

  /** Number of intervals. */
  public int size() {
    return bounds.length >> 1;
  }

  /** True when nothing is deleted. */
  public boolean isEmpty() {
    return bounds.length == 0;
  }

  /** Start of interval {@code i}, inclusive. */
  public long minTime(int i) {
    return bounds[2 * i];
  }

  /** End of interval {@code i}, inclusive. */
  public long maxTime(int i) {
    return bounds[2 * i + 1];
  }

  /** True when {@code t} lies in one of the intervals: the sample at {@code t} is deleted. */
  public boolean contains(long t) {
    int lo = 0;
    int hi = size() - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (maxTime(mid) < t) {
        lo = mid + 1;
      } else if (minTime(mid) > t) {
        hi = mid - 1;
      } else {
        return true;
      }
    }
    return false;
  }

  /** True when some interval intersects {@code [minTime, maxTime]} (a chunk in that range loses samples). */
  public boolean overlaps(long minTime, long maxTime) {
    for (int i = 0; i < size(); i++) {
      if (minTime(i) <= maxTime && maxTime(i) >= minTime) {
        return true;
      }
    }
    return false;
  }

  /** True when one interval covers all of {@code [minTime, maxTime]} (a chunk in that range is entirely deleted). */
  public boolean covers(long minTime, long maxTime) {
    for (int i = 0; i < size(); i++) {
      if (minTime(i) <= minTime && maxTime(i) >= maxTime) {
        return true;
      }
    }
    return false;
  }

  /** A cursor for testing non-decreasing timestamps in amortised constant time. */
  public Cursor cursor() {
    return new Cursor(this);
  }

  /**
   * Tests ascending timestamps against the intervals, advancing instead of searching (Prometheus'
   * {@code DeletedIterator}). Confined to one thread.
   */
  public static final class Cursor {
    private final Intervals intervals;
    private int i;

    private Cursor(Intervals intervals) {
      this.intervals = intervals;
    }

    /** True when {@code t} is deleted; {@code t} must not be below the previous call's (else {@link #reset()}). */
    public boolean isDeleted(long t) {
      int n = intervals.size();
      while (i < n && t > intervals.maxTime(i)) {
        i++;
      }
      return i < n && t >= intervals.minTime(i);
    }

    /** Starts over, for a new pass from an earlier timestamp. */
    public void reset() {
      i = 0;
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Intervals other && Arrays.equals(bounds, other.bounds);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bounds);
  }

  /** E.g. {@code [[1, 5], [9, 12]]}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < size(); i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append('[').append(minTime(i)).append(", ").append(maxTime(i)).append(']');
    }
    return sb.append(']').toString();
  }
}
