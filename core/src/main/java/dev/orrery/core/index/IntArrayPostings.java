package dev.orrery.core.index;

/** Postings over a slice of a sorted {@code int[]} of unsigned 32-bit series IDs; seeks gallop like the others. */
final class IntArrayPostings implements Postings {
  private final int[] refs;
  private final int from;
  private final int to;
  private int i;

  IntArrayPostings(int[] refs, int from, int to) {
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
      if (Integer.toUnsignedLong(refs[i]) >= ref) {
        return true;
      }
      lo = i + 1;
    } else {
      lo = from;
    }
    int step = 1;
    int hi = lo;
    while (hi < to && Integer.toUnsignedLong(refs[hi]) < ref) {
      lo = hi + 1;
      hi = lo + step;
      step <<= 1;
    }
    if (hi > to) {
      hi = to;
    }
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (Integer.toUnsignedLong(refs[mid]) < ref) {
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
    return Integer.toUnsignedLong(refs[i]);
  }

  @Override
  public String toString() {
    return "IntArrayPostings[" + (to - from) + " refs]";
  }
}
