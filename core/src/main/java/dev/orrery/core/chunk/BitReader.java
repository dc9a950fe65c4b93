package dev.orrery.core.chunk;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * An MSB-first bit stream reader (FORMATS.md 2.2). {@link #reset} copies the stream into an internal array followed by
 * zero padding, so every read is one unaligned big-endian 64-bit load and a shift: no per-bit loop and no bounds
 * branch on the bytes.
 *
 * <p>Running past the end is detected, not prevented: each read first checks that the position has not already passed
 * the end (so it never leaves the padding), and a decoder checks {@link #overrun()} once per sample. Reads past the end
 * see zero bits. A read that starts past the end throws {@link CorruptChunkException} naming the resource and the
 * stream's file offset.
 *
 * <p>Confined to one thread; reusable through {@link #reset}.
 */
public final class BitReader {
  private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  /** Zero bytes after the stream: covers a 64-bit load that starts up to 24 bytes past the end. */
  static final int PADDING_BYTES = 32;
  /** Longest stream accepted, so that bit positions fit an {@code int}. */
  public static final int MAX_BYTES = (Integer.MAX_VALUE >>> 3) - PADDING_BYTES;

  byte[] buf = new byte[PADDING_BYTES + 64];
  int pos;
  int limit;
  private String resource = "chunk";
  private long baseOffset = -1;

  /** Positions the reader at the start of {@code length} bytes of {@code src} from {@code offset} (copied). */
  public BitReader reset(ByteBuffer src, int offset, int length, String resource, long baseOffset) {
    ensure(length, resource, baseOffset);
    src.get(offset, buf, 0, length);
    return finishReset(length, resource, baseOffset);
  }

  /** Positions the reader at the start of {@code length} bytes of {@code src} from {@code offset} (copied). */
  public BitReader reset(byte[] src, int offset, int length, String resource, long baseOffset) {
    ensure(length, resource, baseOffset);
    System.arraycopy(src, offset, buf, 0, length);
    return finishReset(length, resource, baseOffset);
  }

  /**
   * Positions the reader at the start of the first {@code length} bytes of {@code padded}, read in place: the caller
   * guarantees {@value #PADDING_BYTES} zero bytes after them and leaves the array unchanged while reading.
   */
  BitReader wrap(byte[] padded, int length, String resource, long baseOffset) {
    if (length < 0 || length > MAX_BYTES || padded.length < length + PADDING_BYTES) {
      throw new IllegalArgumentException(length + " bytes in an array of " + padded.length);
    }
    buf = padded;
    pos = 0;
    limit = length << 3;
    this.resource = resource;
    this.baseOffset = baseOffset;
    return this;
  }

  private void ensure(int length, String resource, long baseOffset) {
    if (length < 0 || length > MAX_BYTES) {
      throw new CorruptChunkException(resource, baseOffset, "chunk too large", length + " bytes");
    }
    if (buf.length < length + PADDING_BYTES) {
      buf = new byte[Math.max(length + PADDING_BYTES, buf.length * 2)];
    }
  }

  private BitReader finishReset(int length, String resource, long baseOffset) {
    // Zero the padding (the array may hold a longer previous stream).
    Arrays.fill(buf, length, length + PADDING_BYTES, (byte) 0);
    this.pos = 0;
    this.limit = length << 3;
    this.resource = resource;
    this.baseOffset = baseOffset;
    return this;
  }

  /** Bit position from the start of the stream. */
  public int position() {
    return pos;
  }

  /** Number of bits in the stream. */
  public int limit() {
    return limit;
  }

  /** Whether a read went past the end of the stream. */
  public boolean overrun() {
    return pos > limit;
  }

  /** Bits left before the end; negative after an overrun. */
  public int remaining() {
    return limit - pos;
  }

  /**
   * The 64 bits at the position, left-aligned; at least the top 57 are stream bits (or zero past the end). Does not
   * advance.
   */
  public long peek() {
    return (long) LONG_BE.get(buf, pos >>> 3) << (pos & 7);
  }

  /** Advances by {@code n} bits ({@code n >= 0}); never further than one bit past the end. */
  public void skip(int n) {
    checkNotPastEnd();
    pos += Math.min(n, limit - pos + 1);
  }

  /** Reads one bit. */
  public boolean readBit() {
    checkNotPastEnd();
    boolean one = ((buf[pos >>> 3] >> (7 - (pos & 7))) & 1) != 0;
    pos++;
    return one;
  }

  /** Reads {@code n} bits ({@code 1 <= n <= 64}) as the low bits of the result. */
  public long readBits(int n) {
    checkNotPastEnd();
    int p = pos;
    long v;
    if (n <= 57) {
      v = ((long) LONG_BE.get(buf, p >>> 3) << (p & 7)) >>> (64 - n);
    } else {
      long hi = ((long) LONG_BE.get(buf, p >>> 3) << (p & 7)) >>> 32;
      int q = p + 32;
      int rest = n - 32;
      long lo = ((long) LONG_BE.get(buf, q >>> 3) << (q & 7)) >>> (64 - rest);
      v = (hi << rest) | lo;
    }
    pos = p + n;
    return v;
  }

  /** Reads 8 bits. */
  public int readByte() {
    return (int) readBits(8);
  }

  /** Reads a Go uvarint stored as whole bytes at any bit position. */
  public long readUvarint() {
    long result = 0;
    int start = pos;
    for (int shift = 0; shift < 70; shift += 7) {
      int b = (int) readBits(8);
      if (b < 0x80) {
        if (shift == 63 && b > 1) {
          throw corrupt(start, "uvarint overflows 64 bits");
        }
        return result | ((long) b << shift);
      }
      result |= (long) (b & 0x7F) << shift;
    }
    throw corrupt(start, "uvarint longer than 10 bytes");
  }

  /** Reads a zig-zag Go varint stored as whole bytes at any bit position. */
  public long readVarint() {
    long u = readUvarint();
    return (u >>> 1) ^ -(u & 1);
  }

  /** Reads a signed {@code varbit_int} (FORMATS.md 2.5). */
  public long readVarbitInt() {
    int width = readVarbitPrefix();
    if (width == 0) {
      return 0;
    }
    long u = readBits(width);
    return width < 64 && u > (1L << (width - 1)) ? u - (1L << width) : u;
  }

  /** Reads a {@code varbit_uint} (FORMATS.md 2.5); values above {@code Long.MAX_VALUE} come back negative. */
  public long readVarbitUint() {
    int width = readVarbitPrefix();
    return width == 0 ? 0 : readBits(width);
  }

  /**
   * Consumes the prefix of a {@code varbit} number (up to eight 1 bits, ended by a 0 unless there are eight) and returns
   * the width of the bits that follow: 0 (the number is 0), 3, 6, 9, 12, 18, 25, 56 or 64.
   */
  private int readVarbitPrefix() {
    checkNotPastEnd();
    int ones = Long.numberOfLeadingZeros(~peek());
    int width = switch (ones) {
      case 0 -> 0;
      case 1 -> 3;
      case 2 -> 6;
      case 3 -> 9;
      case 4 -> 12;
      case 5 -> 18;
      case 6 -> 25;
      case 7 -> 56;
      default -> 64;
    };
    pos += Math.min(ones + 1, 8);
    return width;
  }

  /**
   * Reads the XOR value code of FORMATS.md 2.3 against {@code previousBits}, with the window state of this field in
   * {@code window[at]} (leading zeros) and {@code window[at + 1]} (trailing zeros), both 0 for a new reader; returns
   * the new raw bits.
   */
  long readXorValue(long previousBits, int[] window, int at) {
    checkNotPastEnd();
    long w = peek();
    if (w >= 0) {
      pos++;
      return previousBits;
    }
    if ((w << 1) >= 0) {
      pos += 2;
      int trailing = window[at + 1];
      return previousBits ^ (readBits(64 - window[at] - trailing) << trailing);
    }
    int leading = (int) ((w << 2) >>> 59);
    int sig = (int) ((w << 7) >>> 58);
    if (sig == 0) {
      sig = 64;
    }
    int trailing = 64 - leading - sig;
    if (trailing < 0) {
      throw corrupt(pos, "corrupt XOR value in chunk",
          "window of " + leading + " leading zeros and " + sig + " significant bits exceeds 64 bits");
    }
    pos += 13;
    window[at] = leading;
    window[at + 1] = trailing;
    return previousBits ^ (readBits(sig) << trailing);
  }

  /** Throws if a previous read went past the end. */
  public void checkNotPastEnd() {
    if (pos > limit) {
      throw overrunException();
    }
  }

  /** The exception for a read past the end of the stream. */
  CorruptChunkException overrunException() {
    return corrupt(limit, "chunk bit stream truncated",
        "needs more than its " + (limit >>> 3) + " bytes");
  }

  CorruptChunkException corrupt(int bitPosition, String what) {
    return corrupt(bitPosition, what, "");
  }

  CorruptChunkException corrupt(int bitPosition, String what, String detail) {
    long offset = baseOffset < 0 ? -1 : baseOffset + (bitPosition >>> 3);
    return new CorruptChunkException(resource, offset, what, detail);
  }

  /** The error for a stream that ends inside sample {@code sample} of {@code numSamples}. */
  CorruptChunkException truncated(int sample, int numSamples) {
    return corrupt(limit(), "chunk bit stream truncated", "sample " + sample + " of " + numSamples
        + " needs more than the " + (limit() >>> 3) + " bytes of the stream");
  }

  /** Resource named in errors. */
  String resource() {
    return resource;
  }

  /** File offset of the stream's first byte, or {@code -1}. */
  long baseOffset() {
    return baseOffset;
  }
}
