package dev.orrery.core.chunk;

import static java.util.Objects.requireNonNull;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * An MSB-first bit stream writer over a growable byte array, preceded by a fixed number of header bytes (FORMATS.md
 * 2.2): bits are written most significant first, "write n bits of u" writes the low n bits of u, and the last byte is
 * padded with zero bits.
 *
 * <p>Bits collect in a 64-bit accumulator that is stored as one big-endian word when full, so a write costs a few
 * shifts and no per-bit loop. Every write records its width; with {@link WriterCompatibility#PROMETHEUS_2} a stream
 * that ends on a byte boundary after a whole-byte write gets the spare {@code 00} byte of the 2.x writer. Callers that
 * must match Prometheus byte for byte therefore make one call per field where Prometheus makes one
 * ({@link #writePrefixed} writes a prefix and a field as Prometheus' two calls).
 *
 * <p>Confined to one thread.
 */
public final class BitWriter {
  private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private final int headerBytes;
  private final boolean spareByte;
  private byte[] buf;
  /** Bytes before the accumulator (header included); always a multiple of 8 past the header. */
  private int flushed;
  /** Pending bits, left-aligned; {@link #accBits} of them are valid. */
  private long acc;
  private int accBits;
  /** Width of the last write, for the 2.x spare byte; 0 before any write. */
  private int lastWidth;

  /** A writer in Prometheus 3.x form with {@code headerBytes} zero bytes before the stream. */
  public BitWriter(int headerBytes) {
    this(headerBytes, WriterCompatibility.PROMETHEUS_3);
  }

  /** A writer with {@code headerBytes} zero bytes before the stream, imitating {@code compatibility}. */
  public BitWriter(int headerBytes, WriterCompatibility compatibility) {
    if (headerBytes < 0) {
      throw new IllegalArgumentException("headerBytes must be >= 0, got " + headerBytes);
    }
    this.headerBytes = headerBytes;
    this.spareByte = requireNonNull(compatibility, "compatibility is null") == WriterCompatibility.PROMETHEUS_2;
    this.buf = new byte[Math.max(64, headerBytes + 16)];
    this.flushed = headerBytes;
  }

  /** Forgets the stream and zeroes the header, keeping the capacity. */
  public void reset() {
    Arrays.fill(buf, 0, headerBytes, (byte) 0);
    flushed = headerBytes;
    acc = 0;
    accBits = 0;
    lastWidth = 0;
  }

  /** Writes one bit. */
  public void writeBit(boolean one) {
    writeBits(one ? 1 : 0, 1);
  }

  /** Writes the low {@code n} bits of {@code u}, most significant first; {@code n} in 0..64 (0 writes nothing). */
  public void writeBits(long u, int n) {
    if (n == 0) {
      return;
    }
    lastWidth = n;
    put(u, n);
  }

  /**
   * Writes {@code n} bits ({@code 1 <= n <= 64}) that stand for several of Prometheus' writes, the last of which was
   * {@code lastWriteBits} wide (for the {@link WriterCompatibility#PROMETHEUS_2} spare byte).
   */
  void writeFields(long u, int n, int lastWriteBits) {
    lastWidth = lastWriteBits;
    put(u, n);
  }

  /**
   * Writes {@code n1} bits of {@code u1} then {@code n2} bits of {@code u2} (each 1..64) in one update of the
   * accumulator; {@code lastWriteBits} as in {@link #writeFields}.
   */
  void writeFields(long u1, int n1, long u2, int n2, int lastWriteBits) {
    lastWidth = lastWriteBits;
    long a = acc;
    int used = accBits;
    long v = u1 << (64 - n1);
    a |= v >>> used;
    int total = used + n1;
    if (total >= 64) {
      flushWord(a);
      total -= 64;
      a = total == 0 ? 0 : v << (64 - used);
    }
    used = total;
    v = u2 << (64 - n2);
    a |= v >>> used;
    total = used + n2;
    if (total >= 64) {
      flushWord(a);
      total -= 64;
      a = total == 0 ? 0 : v << (64 - used);
    }
    acc = a;
    accBits = total;
  }

  private void flushWord(long word) {
    LONG_BE.set(buf, flushed, word);
    flushed += 8;
    if (flushed + 8 > buf.length) {
      grow();
    }
  }

  private void grow() {
    buf = Arrays.copyOf(buf, Math.max(buf.length * 2, flushed + 16));
  }

  private void put(long u, int n) {
    long v = u << (64 - n);
    int used = accBits;
    acc |= v >>> used;
    int total = used + n;
    if (total < 64) {
      accBits = total;
      return;
    }
    flushAccumulator();
    total -= 64;
    acc = total == 0 ? 0 : v << (64 - used);
    accBits = total;
  }

  /**
   * Writes {@code prefixBits} bits of {@code prefix} then {@code n} bits of {@code u}, as two writes: for the
   * {@link WriterCompatibility#PROMETHEUS_2} spare byte only the second one counts as the last write.
   */
  public void writePrefixed(long prefix, int prefixBits, long u, int n) {
    if (prefixBits + n <= 64 && n < 64) {
      writeBits((prefix << n) | (u & ((1L << n) - 1)), prefixBits + n);
      if (n > 0) {
        lastWidth = n;
      }
    } else {
      writeBits(prefix, prefixBits);
      writeBits(u, n);
    }
  }

  /** Writes 8 bits. */
  public void writeByte(int b) {
    writeBits(b & 0xFF, 8);
  }

  /** Writes {@code value} as a Go uvarint, one whole byte per 7 bits (at any bit position). */
  public void writeUvarint(long value) {
    while ((value & ~0x7FL) != 0) {
      writeBits((value & 0x7F) | 0x80, 8);
      value >>>= 7;
    }
    writeBits(value, 8);
  }

  /** Writes {@code value} as a zig-zag Go varint. */
  public void writeVarint(long value) {
    writeUvarint((value << 1) ^ (value >> 63));
  }

  /** Writes {@code value} in the signed {@code varbit_int} encoding of FORMATS.md 2.5. */
  public void writeVarbitInt(long value) {
    if (value == 0) {
      writeBits(0, 1);
    } else if (fitsSigned(value, 3)) {
      writePrefixed(0b10, 2, value, 3);
    } else if (fitsSigned(value, 6)) {
      writePrefixed(0b110, 3, value, 6);
    } else if (fitsSigned(value, 9)) {
      writePrefixed(0b1110, 4, value, 9);
    } else if (fitsSigned(value, 12)) {
      writePrefixed(0b11110, 5, value, 12);
    } else if (fitsSigned(value, 18)) {
      writePrefixed(0b111110, 6, value, 18);
    } else if (fitsSigned(value, 25)) {
      writePrefixed(0b1111110, 7, value, 25);
    } else if (fitsSigned(value, 56)) {
      writePrefixed(0b11111110, 8, value, 56);
    } else {
      writeBits(0b11111111, 8);
      writeBits(value, 64);
    }
  }

  /** Writes {@code value} (taken as unsigned) in the {@code varbit_uint} encoding of FORMATS.md 2.5. */
  public void writeVarbitUint(long value) {
    int lz = Long.numberOfLeadingZeros(value);
    if (value == 0) {
      writeBits(0, 1);
    } else if (lz >= 64 - 3) {
      writePrefixed(0b10, 2, value, 3);
    } else if (lz >= 64 - 6) {
      writePrefixed(0b110, 3, value, 6);
    } else if (lz >= 64 - 9) {
      writePrefixed(0b1110, 4, value, 9);
    } else if (lz >= 64 - 12) {
      writePrefixed(0b11110, 5, value, 12);
    } else if (lz >= 64 - 18) {
      writePrefixed(0b111110, 6, value, 18);
    } else if (lz >= 64 - 25) {
      writePrefixed(0b1111110, 7, value, 25);
    } else if (lz >= 64 - 56) {
      writePrefixed(0b11111110, 8, value, 56);
    } else {
      writeBits(0b11111111, 8);
      writeBits(value, 64);
    }
  }

  /** Window state of a field that has not opened an XOR window yet (FORMATS.md 2.3: the writer starts "unset"). */
  static final int XOR_UNSET = 0xFF;

  /**
   * Writes {@code bits} in the XOR value code of FORMATS.md 2.3 against {@code previousBits}, with the writer's window
   * state of this field in {@code window[at]} (leading zeros, {@link #XOR_UNSET} at first) and {@code window[at + 1]}
   * (trailing zeros). Makes the same writes as Prometheus' {@code xorWrite}.
   */
  void writeXorValue(long bits, long previousBits, int[] window, int at) {
    long delta = bits ^ previousBits;
    if (delta == 0) {
      writeBits(0, 1);
      return;
    }
    int lz = Long.numberOfLeadingZeros(delta);
    if (lz >= 32) {
      lz = 31;
    }
    int tz = Long.numberOfTrailingZeros(delta);
    int leading = window[at];
    int trailing = window[at + 1];
    if (lz >= leading && tz >= trailing) {
      writePrefixed(0b10, 2, delta >>> trailing, 64 - leading - trailing);
      return;
    }
    window[at] = lz;
    window[at + 1] = tz;
    int sig = 64 - lz - tz;
    writeBits((0b11L << 11) | ((long) lz << 6) | (sig & 63), 13);
    writeBits(delta >>> tz, sig);
  }

  /**
   * Prometheus' {@code bitRange(x, n)}: {@code -(2^(n-1) - 1) <= x <= 2^(n-1)}, shifted by one against two's
   * complement (FORMATS.md 2.3).
   */
  static boolean fitsSigned(long x, int n) {
    long half = 1L << (n - 1);
    return x > -half && x <= half;
  }

  /** Number of bits written after the header. */
  public long bitLength() {
    return (long) (flushed - headerBytes) * 8 + accBits;
  }

  /** Length of {@link #toByteArray()}: header, stream padded to a byte, and the 2.x spare byte if any. */
  public int byteLength() {
    return flushed + ((accBits + 7) >>> 3) + (hasSpareByte() ? 1 : 0);
  }

  private boolean hasSpareByte() {
    return spareByte && (accBits & 7) == 0 && lastWidth != 0 && (lastWidth & 7) == 0;
  }

  /** Sets header byte {@code index} ({@code 0 <= index < headerBytes}). */
  public void setHeaderByte(int index, int value) {
    if (index < 0 || index >= headerBytes) {
      throw new IndexOutOfBoundsException("header byte " + index + " of " + headerBytes);
    }
    buf[index] = (byte) value;
  }

  /** Header byte {@code index}, unsigned. */
  public int headerByte(int index) {
    if (index < 0 || index >= headerBytes) {
      throw new IndexOutOfBoundsException("header byte " + index + " of " + headerBytes);
    }
    return buf[index] & 0xFF;
  }

  /** Copies header and stream ({@link #byteLength()} bytes) into {@code dst} at {@code offset}. */
  public void copyTo(byte[] dst, int offset) {
    // The accumulator is stored (not consumed) at the flush position; capacity for it is always reserved.
    LONG_BE.set(buf, flushed, acc);
    int n = flushed + ((accBits + 7) >>> 3);
    System.arraycopy(buf, 0, dst, offset, n);
    if (hasSpareByte()) {
      dst[offset + n] = 0;
    }
  }

  /** A new array with header and stream. */
  public byte[] toByteArray() {
    byte[] out = new byte[byteLength()];
    copyTo(out, 0);
    return out;
  }

  private void flushAccumulator() {
    flushWord(acc);
  }

  // Bulk writes: an encoder loop borrows the state with streamBits(), accumulator() and buffer(), switches it to the
  // byte-granular form of putBytewise(), keeps it in locals across many writes, and hands it back with restore(), so
  // that no field is read or written per write.

  /** Number of bits written after the header, as an {@code int} for bulk writes. */
  int streamBits() {
    return (flushed - headerBytes) * 8 + accBits;
  }

  /** The pending bits, left-aligned, for bulk writes. */
  long accumulator() {
    return acc;
  }

  /** The buffer, with room for {@code bytes} more past the flush position (it may be a new array). */
  byte[] buffer(int bytes) {
    if (flushed + bytes > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, flushed + bytes));
    }
    return buf;
  }

  /**
   * Takes back the state after bulk writes into {@code buf} (from {@link #buffer}): {@code bits} stream bits, the last
   * {@code bits % 64} of them in {@code acc}, and the width of the last of Prometheus' writes they stand for.
   */
  void restore(byte[] buf, int bits, long acc, int lastWriteBits) {
    this.buf = buf;
    this.flushed = headerBytes + ((bits >>> 6) << 3);
    this.acc = acc;
    this.accBits = bits & 63;
    this.lastWidth = lastWriteBits;
  }

  /** Most bits one {@link #putBytewise} call writes: a 64-bit store less the up to 7 bits of an unfinished byte. */
  static final int MAX_BYTEWISE_BITS = 56;

  /**
   * Switches the state from {@link #streamBits()}/{@link #accumulator()} (word-granular) to the byte-granular form of
   * {@link #putBytewise}: stores the unfinished word and returns the bits of the unfinished byte, left-aligned.
   */
  static long enterBytewise(byte[] buf, int headerBytes, int bits, long acc) {
    LONG_BE.set(buf, headerBytes + ((bits >>> 6) << 3), acc);
    return acc << ((bits & 63) & ~7) & ~(-1L >>> (bits & 7));
  }

  /**
   * The word-granular accumulator for {@link #restore} after byte-granular writes that ended at stream bit
   * {@code bits}.
   */
  static long leaveBytewise(byte[] buf, int headerBytes, int bits) {
    return (long) LONG_BE.get(buf, headerBytes + ((bits >>> 6) << 3)) & ~(-1L >>> (bits & 63));
  }

  /**
   * Writes the low {@code n} bits of {@code u} ({@code 0 <= n <=} {@value #MAX_BYTEWISE_BITS}; {@code u} must be 0
   * when {@code n} is 0) at bit {@code bitPos} of {@code buf} (counted from the buffer's start, header included), after
   * {@code pending}, the bits of the unfinished byte at {@code bitPos / 8}, left-aligned; returns the new unfinished
   * byte's bits. The caller adds {@code n} to {@code bitPos}.
   *
   * <p>Every call stores 8 bytes at the byte position and moves on by whole bytes, so there is no flush to decide: the
   * cost does not depend on where words fill up. {@code buf} needs 8 bytes of room at {@code bitPos / 8}.
   */
  static long putBytewise(byte[] buf, int bitPos, long pending, long u, int n) {
    int used = bitPos & 7;
    long merged = pending | ((u << (64 - n)) >>> used);
    LONG_BE.set(buf, bitPos >>> 3, merged);
    return merged << ((used + n) & ~7);
  }
}
