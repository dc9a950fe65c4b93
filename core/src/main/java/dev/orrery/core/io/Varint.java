package dev.orrery.core.io;

/**
 * Go {@code encoding/binary} varints: unsigned LEB128 ({@code uvarint}) and its zig-zag signed form ({@code varint}).
 * Stateless; all methods are static and thread-safe.
 */
public final class Varint {
  /** Longest uvarint encoding of a 64-bit value. */
  public static final int MAX_LEN_64 = 10;
  /** Longest uvarint encoding of a 32-bit value. */
  public static final int MAX_LEN_32 = 5;

  private Varint() {}

  /** Zig-zag maps a signed value so that small magnitudes become small unsigned values. */
  public static long zigZag(long x) {
    return (x << 1) ^ (x >> 63);
  }

  /** Inverse of {@link #zigZag}. */
  public static long unZigZag(long u) {
    return (u >>> 1) ^ -(u & 1);
  }

  /** Number of bytes {@code value} takes as a uvarint. */
  public static int uvarintSize(long value) {
    int n = 1;
    while ((value & ~0x7FL) != 0) {
      value >>>= 7;
      n++;
    }
    return n;
  }

  /** Writes {@code value} as a uvarint into {@code dst} at {@code pos}; returns the position after it. */
  public static int putUvarint(byte[] dst, int pos, long value) {
    while ((value & ~0x7FL) != 0) {
      dst[pos++] = (byte) ((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    dst[pos++] = (byte) value;
    return pos;
  }
}
