package dev.orrery.core.io;

import java.nio.ByteBuffer;

/** A {@link ByteSource} over a byte array held in memory. Thread-safe; the array must not change afterwards. */
public final class ByteArraySource implements ByteSource {
  private final String name;
  private final ByteBuffer bytes;

  /** Wraps {@code bytes} (not copied); {@code name} appears in error messages. */
  public ByteArraySource(String name, byte[] bytes) {
    this.name = name;
    this.bytes = ByteBuffer.wrap(bytes).asReadOnlyBuffer();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public long size() {
    return bytes.capacity();
  }

  @Override
  public ByteBuffer read(long offset, int length) throws CorruptBlockException {
    ByteSource.checkRange(name, size(), offset, length);
    return bytes.slice((int) offset, length);
  }

  @Override
  public void close() {}
}
