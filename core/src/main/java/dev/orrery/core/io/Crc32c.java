package dev.orrery.core.io;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/** CRC-32 with the Castagnoli polynomial, as every Prometheus TSDB file uses. Thread-safe. */
public final class Crc32c {
  private Crc32c() {}

  /** CRC32C of {@code len} bytes of {@code buf} starting at absolute index {@code off}; buffer position untouched. */
  public static int of(ByteBuffer buf, int off, int len) {
    CRC32C crc = new CRC32C();
    crc.update(buf.slice(off, len));
    return (int) crc.getValue();
  }

  /** CRC32C of {@code len} bytes of {@code bytes} from {@code off}. */
  public static int of(byte[] bytes, int off, int len) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, off, len);
    return (int) crc.getValue();
  }
}
