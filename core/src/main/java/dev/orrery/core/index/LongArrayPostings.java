package dev.orrery.core.index;

/** Postings over a slice of a sorted {@code long[]}; {@link #seek} gallops, then binary searches. */
final class LongArrayPostings implements Postings {
  private final long[] refs;
  private final int from;
  private final int to;
  private int i;

  LongArrayPostings(long[] refs, int from, int to) {
    this.refs = refs;
    this.from = from;
    this.to = to;
    this.i = from - 1;
  }

  @Override
  public boolean next() {
    if (i + 1 < to) {
      i++;
      return true;
    }
    i = to;
    return false;
  }

  @Override
  public boolean seek(long ref) {
    if (i >= to) {
      return false;
    }
    int lo;
    if (i >= from) {
      if (refs[i] >= ref) {
        return true;
      }
      lo = i + 1;
    } else {
      lo = from;
    }
    // Gallop: intersections mostly seek a short way ahead, so probe 1, 2, 4, ... entries before bisecting.
    int step = 1;
    int hi = lo;
    while (hi < to && refs[hi] < ref) {
      lo = hi + 1;
      hi = lo + step;
      step <<= 1;
    }
    if (hi > to) {
      hi = to;
    }
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (refs[mid] < ref) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    i = lo;
    return lo < to;
  }

  @Override
  public long at() {
    return refs[i];
  }

  @Override
  public String toString() {
    return "LongArrayPostings[" + (to - from) + " refs]";
  }
}
