package dev.orrery.core.io;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A cursor over a big-endian byte buffer that decodes the integer and string forms of the TSDB formats. Every read is
 * bounds-checked; running past the end or an overlong varint throws {@link CorruptDataException} naming the resource
 * and the absolute file offset ({@code baseOffset} + position), never a bare {@code BufferUnderflowException}.
 *
 * <p>Confined to one thread. The buffer is read with absolute gets; its own position is not used.
 */
public final class DecodeBuffer {
  private final ByteBuffer buf;
  private final String resource;
  private final long baseOffset;
  private int pos;

  /**
   * @param buf the bytes; indexes 0..limit are decoded
   * @param resource named in errors
   * @param baseOffset file offset of {@code buf[0]}, added to positions in errors
   */
  public DecodeBuffer(ByteBuffer buf, String resource, long baseOffset) {
    this.buf = buf;
    this.resource = resource;
    this.baseOffset = baseOffset;
  }

  /** Current position relative to the buffer start. */
  public int position() {
    return pos;
  }

  /** Moves to {@code position} relative to the buffer start. */
  public void position(int position) {
    if (position < 0 || position > buf.limit()) {
      throw corrupt(position, "position " + position + " outside buffer of " + buf.limit() + " bytes");
    }
    pos = position;
  }

  /** Bytes left after the position. */
  public int remaining() {
    return buf.limit() - pos;
  }

  /** Skips {@code n} bytes. */
  public void skip(int n) {
    need(n);
    pos += n;
  }

  /** Reads one unsigned byte. */
  public int u8() {
    need(1);
    return buf.get(pos++) & 0xFF;
  }

  /** Reads a big-endian 32-bit integer. */
  public int be32() {
    need(4);
    int v = buf.getInt(pos);
    pos += 4;
    return v;
  }

  /** Reads a big-endian 64-bit integer. */
  public long be64() {
    need(8);
    long v = buf.getLong(pos);
    pos += 8;
    return v;
  }

  /** Reads an unsigned LEB128 varint of at most 10 bytes. */
  public long uvarint() {
    long result = 0;
    int shift = 0;
    int start = pos;
    for (int i = 0; i < Varint.MAX_LEN_64; i++) {
      if (pos >= buf.limit()) {
        throw corrupt(start, "truncated uvarint");
      }
      int b = buf.get(pos++) & 0xFF;
      if (b < 0x80) {
        if (i == Varint.MAX_LEN_64 - 1 && b > 1) {
          throw corrupt(start, "uvarint overflows 64 bits");
        }
        return result | ((long) b << shift);
      }
      result |= (long) (b & 0x7F) << shift;
      shift += 7;
    }
    throw corrupt(start, "uvarint longer than 10 bytes");
  }

  /** Reads a uvarint that must fit in 32 unsigned bits, returned as a non-negative {@code long}. */
  public long uvarint32() {
    int start = pos;
    long v = uvarint();
    if ((v >>> 32) != 0) {
      throw corrupt(start, "uvarint " + Long.toUnsignedString(v) + " overflows 32 bits");
    }
    return v;
  }

  /** Reads a uvarint that must fit in a non-negative {@code int}. */
  public int uvarintInt() {
    int start = pos;
    long v = uvarint();
    if (v < 0 || v > Integer.MAX_VALUE) {
      throw corrupt(start, "value " + Long.toUnsignedString(v) + " out of range");
    }
    return (int) v;
  }

  /** Reads a zig-zag signed varint. */
  public long varint() {
    return Varint.unZigZag(uvarint());
  }

  /** Reads a uvarint length followed by that many UTF-8 bytes. */
  public String uvarintString() {
    int start = pos;
    int len = uvarintInt();
    if (len > remaining()) {
      throw corrupt(start, "string of " + len + " bytes past end (" + remaining() + " left)");
    }
    String s = decodeUtf8(pos, len);
    pos += len;
    return s;
  }

  /** Reads a uvarint length and skips that many bytes. */
  public void skipUvarintBytes() {
    skip(uvarintInt());
  }

  private String decodeUtf8(int at, int len) {
    if (buf.hasArray()) {
      return new String(buf.array(), buf.arrayOffset() + at, len, StandardCharsets.UTF_8);
    }
    byte[] b = new byte[len];
    buf.get(at, b, 0, len);
    return new String(b, StandardCharsets.UTF_8);
  }

  private void need(int n) {
    if (n < 0 || n > buf.limit() - pos) {
      throw corrupt(pos, "need " + n + " bytes, " + (buf.limit() - pos) + " left");
    }
  }

  /** An exception naming this buffer's resource and the absolute offset of relative position {@code at}. */
  public CorruptDataException corrupt(int at, String message) {
    return new CorruptDataException(resource, baseOffset + at, message);
  }
}
