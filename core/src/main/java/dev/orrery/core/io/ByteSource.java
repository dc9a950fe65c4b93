package dev.orrery.core.io;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Random access to the bytes of one file or object: a memory-mapped local file ({@link MmapByteSource}), a byte array
 * ({@link ByteArraySource}), or, in higher layers, byte ranges of an object in a bucket.
 *
 * <p>Implementations are thread-safe: {@link #read} may be called concurrently. Buffers returned by {@code read} may be
 * views of a mapping and are valid only until {@link #close}; copy what must outlive the source.
 */
public interface ByteSource extends AutoCloseable {
  /** Human-readable name used in error messages, e.g. {@code 01J.../index}. */
  String name();

  /** Total size in bytes. */
  long size();

  /**
   * Returns a read-only big-endian buffer with exactly the {@code length} bytes at {@code offset}, position 0.
   *
   * @throws CorruptBlockException if the range is not inside {@code [0, size())}
   * @throws IOException if the bytes cannot be read
   */
  ByteBuffer read(long offset, int length) throws IOException;

  /** Releases the source. Idempotent. */
  @Override
  void close() throws IOException;

  /** Checks that {@code [offset, offset + length)} lies inside a source of {@code size} bytes. */
  static void checkRange(String name, long size, long offset, long length) throws CorruptBlockException {
    if (offset < 0 || length < 0 || offset + length > size) {
      throw new CorruptBlockException(name, offset,
          "range of " + length + " bytes past end (size " + size + ")");
    }
  }
}
