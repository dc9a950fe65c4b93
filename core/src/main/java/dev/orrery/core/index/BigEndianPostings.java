package dev.orrery.core.index;

import java.nio.ByteBuffer;

/**
 * A lazy view over big-endian unsigned 32-bit references (the body of an index postings list, {@code FORMATS.md}
 * 4.4): nothing is decoded until asked for, and {@link #seek} gallops and bisects over the raw entries like
 * Prometheus' {@code bigEndianPostings}. Reads with absolute gets, so the buffer may be shared.
 */
final class BigEndianPostings extends SortedArrayPostings {
  private final ByteBuffer buf;
  private final int base;

  BigEndianPostings(ByteBuffer buf, int base, int count) {
    super(0, count);
    this.buf = buf;
    this.base = base;
  }

  @Override
  long ref(int index) {
    // index.md, Postings: refs are BE32. Postings.bigEndian hands over a big-endian buffer (duplicate() resets order).
    return Integer.toUnsignedLong(buf.getInt(base + (index << 2)));
  }

  @Override
  public String toString() {
    return "BigEndianPostings[" + size() + " refs]";
  }
}
