package dev.orrery.core.index;

import java.nio.ByteBuffer;

/**
 * A lazy view over big-endian unsigned 32-bit references (the body of an index postings list, {@code FORMATS.md}
 * 4.4): nothing is decoded until asked for, and {@link #seek} gallops and bisects over the raw entries like
 * Prometheus' {@code bigEndianPostings}. Reads with absolute gets, so the buffer may be shared.
 */
final class BigEndianPostings implements Postings {
  private final ByteBuffer buf;
  private final int base;
  private final int count;
  private int i = -1;
  private long cur;

  BigEndianPostings(ByteBuffer buf, int base, int count) {
    this.buf = buf;
    this.base = base;
    this.count = count;
  }

  private long get(int index) {
    // index.md, Postings: refs are BE32. Postings.bigEndian hands over a big-endian buffer (duplicate() resets order).
    return Integer.toUnsignedLong(buf.getInt(base + (index << 2)));
  }

  @Override
  public boolean next() {
    if (i + 1 < count) {
      i++;
      cur = get(i);
      return true;
    }
    i = count;
    return false;
  }

  @Override
  public boolean seek(long ref) {
    if (i >= count) {
      return false;
    }
    int lo;
    if (i >= 0) {
      if (cur >= ref) {
        return true;
      }
      lo = i + 1;
    } else {
      lo = 0;
    }
    int step = 1;
    int hi = lo;
    while (hi < count && get(hi) < ref) {
      lo = hi + 1;
      hi = lo + step;
      step <<= 1;
    }
    if (hi > count) {
      hi = count;
    }
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (get(mid) < ref) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    i = lo;
    if (lo < count) {
      cur = get(lo);
      return true;
    }
    return false;
  }

  @Override
  public long at() {
    return cur;
  }

  @Override
  public String toString() {
    return "BigEndianPostings[" + count + " refs]";
  }
}
