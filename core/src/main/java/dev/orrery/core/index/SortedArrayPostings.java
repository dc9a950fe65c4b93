package dev.orrery.core.index;

/**
 * Postings over a slice of a sorted sequence of series references that can be read by index (an array, or the raw
 * entries of an index postings list). {@link #seek} gallops, then binary searches: intersections mostly seek a short
 * way ahead, so it probes 1, 2, 4, ... entries before bisecting.
 */
abstract sealed class SortedArrayPostings implements Postings
    permits IntArrayPostings, LongArrayPostings, BigEndianPostings {
  private final int from;
  private final int to;
  private int i;

  SortedArrayPostings(int from, int to) {
    this.from = from;
    this.to = to;
    this.i = from - 1;
  }

  /** The reference at array index {@code index}. */
  abstract long ref(int index);

  /** Number of references in the slice. */
  final int size() {
    return to - from;
  }

  @Override
  public final boolean next() {
    if (i + 1 < to) {
      i++;
      return true;
    }
    i = to;
    return false;
  }

  @Override
  public final boolean seek(long ref) {
    if (i >= to) {
      return false;
    }
    int lo;
    if (i >= from) {
      if (ref(i) >= ref) {
        return true;
      }
      lo = i + 1;
    } else {
      lo = from;
    }
    int step = 1;
    int hi = lo;
    while (hi < to && ref(hi) < ref) {
      lo = hi + 1;
      hi = lo + step;
      step <<= 1;
    }
    if (hi > to) {
      hi = to;
    }
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (ref(mid) < ref) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    i = lo;
    return lo < to;
  }

  @Override
  public final long at() {
    return ref(i);
  }
}
