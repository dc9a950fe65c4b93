package dev.orrery.core.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A read-only memory mapping of a local file. Files larger than one window are mapped as several windows of at most
 * {@value #WINDOW_BYTES} bytes (a {@code MappedByteBuffer} is capped at 2 GiB); a read that crosses a window boundary
 * is copied into a fresh buffer.
 *
 * <p>Thread-safe. Buffers from {@link #read} are views of the mapping: do not use them after {@link #close}. The JDK
 * unmaps a mapping only when it is garbage collected, so closing just drops the references.
 */
public final class MmapByteSource implements ByteSource {
  static final int WINDOW_BYTES = 1 << 30;

  private final String name;
  private final long size;
  private volatile ByteBuffer[] windows;

  private MmapByteSource(String name, long size, ByteBuffer[] windows) {
    this.name = name;
    this.size = size;
    this.windows = windows;
  }

  /** Maps {@code file} read-only; {@code name} appears in error messages. The caller closes the result. */
  public static MmapByteSource open(Path file, String name) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      int n = (int) ((size + WINDOW_BYTES - 1) / WINDOW_BYTES);
      ByteBuffer[] windows = new ByteBuffer[Math.max(n, 1)];
      if (size == 0) {
        windows[0] = ByteBuffer.allocate(0);
      }
      for (int i = 0; i < n; i++) {
        long off = (long) i * WINDOW_BYTES;
        MappedByteBuffer m = ch.map(FileChannel.MapMode.READ_ONLY, off, Math.min(WINDOW_BYTES, size - off));
        windows[i] = m;
      }
      return new MmapByteSource(name, size, windows);
    }
  }

  /** Maps {@code file}, named by its path in error messages. */
  public static MmapByteSource open(Path file) throws IOException {
    return open(file, file.toString());
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public ByteBuffer read(long offset, int length) throws IOException {
    ByteBuffer[] w = windows;
    if (w == null) {
      throw new IllegalStateException(name + " is closed");
    }
    ByteSource.checkRange(name, size, offset, length);
    int first = (int) (offset / WINDOW_BYTES);
    int off = (int) (offset % WINDOW_BYTES);
    if (off + (long) length <= w[first].capacity()) {
      return w[first].slice(off, length).asReadOnlyBuffer();
    }
    byte[] copy = new byte[length];
    int copied = 0;
    for (int i = first; copied < length; i++, off = 0) {
      int n = Math.min(length - copied, w[i].capacity() - off);
      w[i].get(off, copy, copied, n);
      copied += n;
    }
    return ByteBuffer.wrap(copy).asReadOnlyBuffer();
  }

  @Override
  public void close() {
    windows = null;
  }
}
