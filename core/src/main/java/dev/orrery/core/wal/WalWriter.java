package dev.orrery.core.wal;

import dev.orrery.core.io.Crc32c;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.apache.commons.compress.compressors.lz77support.Parameters;
import org.apache.commons.compress.compressors.snappy.SnappyCompressorInputStream;
import org.apache.commons.compress.compressors.snappy.SnappyCompressorOutputStream;

/**
 * Appends records to a WAL directory in Prometheus' segment format: segments of {@link #DEFAULT_SEGMENT_SIZE} bytes
 * made of {@link #PAGE_SIZE}-byte pages; each record is split into fragments that never cross a page (a 7-byte header:
 * type, big-endian length, CRC32C of the fragment) and never crosses a segment; a page that cannot hold another
 * header is zero-filled. With compression on, a record is snappy-compressed when that makes it smaller, as
 * Prometheus' {@code --storage.tsdb.wal-compression} does.
 *
 * <p>{@link #create} always starts a new segment after the existing ones, so a segment is never appended to after a
 * restart. Each {@link #log} call writes its records through to the file (a process crash loses nothing logged);
 * {@link #sync} and {@link #close} also force them to the disk. Confined to one thread.
 */
public final class WalWriter implements Closeable {
  /** Size of a page, the unit records are packed in. */
  public static final int PAGE_SIZE = 32 * 1024;
  /** Size at which a new segment is started (records are never split across segments). */
  public static final int DEFAULT_SEGMENT_SIZE = 128 * 1024 * 1024;
  static final int HEADER_SIZE = 7;
  static final int PAGE_TERM = 0;
  static final int FULL = 1;
  static final int FIRST = 2;
  static final int MIDDLE = 3;
  static final int LAST = 4;
  static final int TYPE_MASK = 7;
  static final int SNAPPY = 1 << 3;
  static final int ZSTD = 1 << 4;

  /** Commons Compress' LZ77 search tuned for speed: its default search is an order of magnitude slower. */
  private static final Parameters SNAPPY_PARAMETERS =
      SnappyCompressorOutputStream.createParameterBuilder(SnappyCompressorInputStream.DEFAULT_BLOCK_SIZE)
          .tunedForSpeed().build();

  private final Path dir;
  private final int pagesPerSegment;
  private final boolean compress;
  private final byte[] page = new byte[PAGE_SIZE];
  /** Bytes of the page filled, and of those already written to the file. */
  private int alloc;
  private int flushed;
  /** Whole pages written to the current segment. */
  private int donePages;
  private int segment;
  private FileChannel channel;
  private boolean closed;

  private WalWriter(Path dir, int segmentSize, boolean compress, int firstSegment) throws IOException {
    this.dir = dir;
    this.pagesPerSegment = segmentSize / PAGE_SIZE;
    this.compress = compress;
    openSegment(firstSegment);
  }

  /** A writer over {@code dir} (created if missing) with 128 MiB segments. */
  public static WalWriter create(Path dir, boolean compress) throws IOException {
    return create(dir, DEFAULT_SEGMENT_SIZE, compress);
  }

  /**
   * A writer over {@code dir} (created if missing) starting a new segment after the existing segments and checkpoints
   * (a segment numbered at or below a checkpoint would be skipped by a replay).
   *
   * @param segmentSize a positive multiple of {@link #PAGE_SIZE}
   * @param compress whether records are snappy-compressed (when that makes them smaller)
   */
  public static WalWriter create(Path dir, int segmentSize, boolean compress) throws IOException {
    if (segmentSize <= 0 || segmentSize % PAGE_SIZE != 0) {
      throw new IllegalArgumentException("segment size " + segmentSize + " is not a positive multiple of " + PAGE_SIZE);
    }
    Files.createDirectories(dir);
    int[] existing = WalSegments.list(dir);
    int next = existing.length == 0 ? 0 : existing[existing.length - 1] + 1;
    next = Math.max(next, WalCheckpoint.last(dir).map(c -> c.index() + 1).orElse(0));
    return new WalWriter(dir, segmentSize, compress, next);
  }

  /** The directory written to. */
  public Path dir() {
    return dir;
  }

  /** Index of the segment being written. */
  public int segment() {
    return segment;
  }

  /** Appends {@code record} (whole array). */
  public void log(byte[] record) throws IOException {
    log(record, record.length);
  }

  /** Appends the first {@code length} bytes of {@code record} and writes them through to the file. */
  public void log(byte[] record, int length) throws IOException {
    append(record, length);
    flushPage(false);
  }

  /** Appends several records with one write to the file at the end. */
  public void log(byte[]... records) throws IOException {
    for (byte[] r : records) {
      append(r, r.length);
    }
    flushPage(false);
  }

  private void append(byte[] record, int length) throws IOException {
    checkOpen();
    if (pageFull()) {
      flushPage(true);
    }
    byte[] data = record;
    int len = length;
    int compression = 0;
    if (compress && length > 0) {
      byte[] c = snappy(record, length);
      if (c.length < length) {
        data = c;
        len = c.length;
        compression = SNAPPY;
      }
    }
    // Room left in this segment: the rest of this page and the pages after it, each less a fragment header.
    long free = (PAGE_SIZE - alloc - HEADER_SIZE)
        + (long) (PAGE_SIZE - HEADER_SIZE) * (pagesPerSegment - donePages - 1);
    if (len > free) {
      nextSegment();
    }
    int off = 0;
    for (int i = 0; i == 0 || off < len; i++) {
      int n = Math.min(len - off, PAGE_SIZE - alloc - HEADER_SIZE);
      boolean end = off + n == len;
      int type = i == 0 ? (end ? FULL : FIRST) : (end ? LAST : MIDDLE);
      page[alloc] = (byte) (type | compression);
      page[alloc + 1] = (byte) (n >>> 8);
      page[alloc + 2] = (byte) n;
      int crc = Crc32c.of(data, off, n);
      page[alloc + 3] = (byte) (crc >>> 24);
      page[alloc + 4] = (byte) (crc >>> 16);
      page[alloc + 5] = (byte) (crc >>> 8);
      page[alloc + 6] = (byte) crc;
      System.arraycopy(data, off, page, alloc + HEADER_SIZE, n);
      alloc += HEADER_SIZE + n;
      off += n;
      if (pageFull()) {
        flushPage(true);
      }
    }
  }

  private static byte[] snappy(byte[] record, int length) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(length / 2 + 16);
    try (SnappyCompressorOutputStream s = new SnappyCompressorOutputStream(out, length, SNAPPY_PARAMETERS)) {
      s.write(record, 0, length);
    }
    return out.toByteArray();
  }

  /** No room for another fragment header: the rest of the page is padding. */
  private boolean pageFull() {
    return PAGE_SIZE - alloc < HEADER_SIZE;
  }

  /** Writes the unwritten part of the page; with {@code complete}, zero-fills it to its end and starts a new page. */
  private void flushPage(boolean complete) throws IOException {
    if (complete || pageFull()) {
      complete = true;
      alloc = PAGE_SIZE;
    }
    ByteBuffer b = ByteBuffer.wrap(page, flushed, alloc - flushed);
    while (b.hasRemaining()) {
      channel.write(b);
    }
    flushed = alloc;
    if (complete) {
      Arrays.fill(page, (byte) 0);
      alloc = 0;
      flushed = 0;
      donePages++;
    }
  }

  /**
   * Closes the current segment (its last page zero-filled, forced to disk) and starts the next; returns its index.
   * Segments before it can then be checkpointed.
   */
  public int nextSegment() throws IOException {
    checkOpen();
    if (alloc > 0) {
      flushPage(true);
    }
    channel.force(true);
    channel.close();
    openSegment(segment + 1);
    return segment;
  }

  private void openSegment(int index) throws IOException {
    channel = FileChannel.open(WalSegments.path(dir, index), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    segment = index;
    donePages = 0;
  }

  /** Forces what was logged to the disk. */
  public void sync() throws IOException {
    checkOpen();
    channel.force(false);
  }

  private void checkOpen() throws IOException {
    if (closed) {
      throw new IOException("WAL writer for " + dir + " is closed");
    }
  }

  /** Zero-fills the last page, forces the segment to disk and closes it. Idempotent. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try (FileChannel c = channel) {
      // An empty page is not written: a segment that ends on a page boundary reads as complete.
      if (alloc > 0) {
        flushPage(true);
      }
      c.force(true);
    }
  }
}
