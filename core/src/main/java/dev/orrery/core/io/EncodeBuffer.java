package dev.orrery.core.io;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growable byte array with the big-endian and varint writes of the TSDB formats. Confined to one thread. */
public final class EncodeBuffer {
  private byte[] bytes;
  private int len;

  /** Creates an empty buffer with {@code capacity} bytes reserved. */
  public EncodeBuffer(int capacity) {
    bytes = new byte[Math.max(capacity, 16)];
  }

  /** Creates an empty buffer. */
  public EncodeBuffer() {
    this(256);
  }

  /** Number of bytes written. */
  public int length() {
    return len;
  }

  /** Forgets the content, keeping the capacity. */
  public void reset() {
    len = 0;
  }

  /** The backing array; only the first {@link #length()} bytes are meaningful. */
  public byte[] array() {
    return bytes;
  }

  /** A copy of the content. */
  public byte[] toByteArray() {
    return Arrays.copyOf(bytes, len);
  }

  private void ensure(int n) {
    if (len + n > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, len + n));
    }
  }

  /** Appends one byte. */
  public EncodeBuffer putByte(int b) {
    ensure(1);
    bytes[len++] = (byte) b;
    return this;
  }

  /** Appends a big-endian 32-bit integer. */
  public EncodeBuffer putBE32(int v) {
    ensure(4);
    bytes[len] = (byte) (v >>> 24);
    bytes[len + 1] = (byte) (v >>> 16);
    bytes[len + 2] = (byte) (v >>> 8);
    bytes[len + 3] = (byte) v;
    len += 4;
    return this;
  }

  /** Overwrites a big-endian 32-bit integer at {@code at}. */
  public void setBE32(int at, int v) {
    bytes[at] = (byte) (v >>> 24);
    bytes[at + 1] = (byte) (v >>> 16);
    bytes[at + 2] = (byte) (v >>> 8);
    bytes[at + 3] = (byte) v;
  }

  /** Appends a big-endian 64-bit integer. */
  public EncodeBuffer putBE64(long v) {
    putBE32((int) (v >>> 32));
    return putBE32((int) v);
  }

  /** Appends an unsigned LEB128 varint. */
  public EncodeBuffer putUvarint(long v) {
    ensure(Varint.MAX_LEN_64);
    len = Varint.putUvarint(bytes, len, v);
    return this;
  }

  /** Appends a zig-zag signed varint. */
  public EncodeBuffer putVarint(long v) {
    return putUvarint(Varint.zigZag(v));
  }

  /** Appends raw bytes. */
  public EncodeBuffer putBytes(byte[] b, int off, int n) {
    ensure(n);
    System.arraycopy(b, off, bytes, len, n);
    len += n;
    return this;
  }

  /** Appends a uvarint length and the UTF-8 bytes of {@code s}. */
  public EncodeBuffer putUvarintString(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    putUvarint(b.length);
    return putBytes(b, 0, b.length);
  }

  /** Appends zero bytes until the length is a multiple of {@code alignment}. */
  public EncodeBuffer padTo(int alignment) {
    while (len % alignment != 0) {
      putByte(0);
    }
    return this;
  }

  /** CRC32C of {@code n} bytes from {@code from}. */
  public int crc32c(int from, int n) {
    return Crc32c.of(bytes, from, n);
  }
}
