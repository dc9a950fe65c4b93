package dev.orrery.core.chunk;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Writes a block's chunk segment files {@code chunks/000001}, {@code 000002}, ... (FORMATS.md section 3): an 8-byte
 * header (magic {@code 0x85BD40DD}, version 1, 3 zero bytes), then records {@code uvarint len | encoding | data |
 * CRC32C(encoding, data)}.
 *
 * <p>Files are cut exactly as Prometheus' {@code chunks.Writer.WriteChunks} cuts them, given one call of
 * {@link #writeSeries} per series with all its chunks in order: each chunk counts with a pessimistic size of
 * {@code 5 + 1 + len + 4} bytes; while the current file already holds records, a series moves on to a new file from
 * the first chunk that would take the file past the maximum size; otherwise a new file is cut before any chunk but the
 * call's first that would take the new file past it. So a series may span files, no file is left without records, and
 * a chunk larger than the maximum gets a file of its own.
 *
 * <p>Confined to one thread. Owns the files it creates; {@link #close()} flushes and syncs them. Files are numbered
 * from {@code 000001}; creating one that exists fails.
 */
public final class ChunkSegmentWriter implements AutoCloseable {
  /** Magic number at the start of every segment file. */
  public static final int MAGIC = 0x85BD40DD;
  /** Segment file format version. */
  public static final int FORMAT_V1 = 1;
  /** Size of the segment file header. */
  public static final int HEADER_BYTES = 8;
  /** Prometheus' {@code DefaultChunkSegmentSize}: 512 MiB. */
  public static final long DEFAULT_MAX_SEGMENT_BYTES = 512L * 1024 * 1024;
  /** Largest maximum segment size: offsets in chunk references have 32 bits. */
  public static final long MAX_SEGMENT_BYTES_LIMIT = 1L << 32;
  /** Per-chunk size used for cutting: longest length varint, encoding byte and CRC around the data. */
  static final int RECORD_OVERHEAD = 5 + 1 + 4;

  private static final int BUFFER_BYTES = 1 << 18;

  private final Path dir;
  private final long maxSegmentBytes;
  private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES);
  private final CRC32C crc = new CRC32C();
  private FileChannel file;
  /** 1-based sequence number of the current file; 0 before the first. */
  private int sequence;
  /** Bytes in the current file, header included, counting buffered ones. */
  private long written;
  private boolean closed;
  private boolean failed;

  /**
   * A writer that creates segment files in {@code dir} (created on the first write if missing), cut at
   * {@code maxSegmentBytes} as described in the class comment. The caller closes it.
   *
   * @param maxSegmentBytes Prometheus' default is {@link #DEFAULT_MAX_SEGMENT_BYTES}; at most 4 GiB, since offsets in
   *     chunk references have 32 bits
   */
  public ChunkSegmentWriter(Path dir, long maxSegmentBytes) {
    this.dir = requireNonNull(dir, "dir is null");
    if (maxSegmentBytes <= HEADER_BYTES || maxSegmentBytes > MAX_SEGMENT_BYTES_LIMIT) {
      throw new IllegalArgumentException("segment size must exceed the " + HEADER_BYTES + "-byte header and be at most "
          + MAX_SEGMENT_BYTES_LIMIT + ", got " + maxSegmentBytes);
    }
    this.maxSegmentBytes = maxSegmentBytes;
  }

  /** Opens a writer with the default maximum segment size; see {@link #open(Path, long)}. */
  public static ChunkSegmentWriter open(Path chunksDir) throws IOException {
    return open(chunksDir, DEFAULT_MAX_SEGMENT_BYTES);
  }

  /**
   * Opens a writer for a new block's {@code chunksDir} (created if missing), checking that it holds no segment files
   * yet. The caller closes the writer.
   *
   * @throws IOException if the directory cannot be created or already holds segment files
   */
  public static ChunkSegmentWriter open(Path chunksDir, long maxSegmentBytes) throws IOException {
    ChunkSegmentWriter writer = new ChunkSegmentWriter(chunksDir, maxSegmentBytes);
    Files.createDirectories(chunksDir);
    if (!ChunkSegmentReader.segmentFiles(chunksDir).isEmpty()) {
      throw new IOException("chunks directory " + chunksDir + " already holds segment files");
    }
    return writer;
  }

  /** Name of the segment file with 0-based index {@code index}: {@code 000001} for 0. */
  public static String segmentName(int index) {
    return String.format("%06d", index + 1);
  }

  /**
   * Writes all chunks of one series, in order, and returns their references (FORMATS.md 3.3), which increase.
   *
   * @throws IOException if writing fails; the writer is unusable afterwards
   */
  public long[] writeSeries(List<? extends Chunk> chunks) throws IOException {
    requireNonNull(chunks, "chunks is null");
    int[] encodings = new int[chunks.size()];
    ByteBuffer[] data = new ByteBuffer[chunks.size()];
    for (int i = 0; i < data.length; i++) {
      encodings[i] = chunks.get(i).encoding().code();
      data[i] = chunks.get(i).bytes();
    }
    return writeRecords(encodings, data);
  }

  /**
   * Writes the chunk records of one series as encoding numbers and data, in order, and returns their references: the
   * form for chunks this package has no decoder for, such as Thanos' aggregate chunks (encoding 255).
   *
   * @throws IllegalArgumentException if the arrays differ in length or an encoding is not a byte
   * @throws IOException if writing fails; the writer is unusable afterwards
   */
  public long[] writeRecords(int[] encodings, ByteBuffer[] data) throws IOException {
    if (encodings.length != data.length) {
      throw new IllegalArgumentException(encodings.length + " encodings for " + data.length + " chunks");
    }
    for (int encoding : encodings) {
      if (encoding < 0 || encoding > 0xFF) {
        throw new IllegalArgumentException("chunk encoding " + encoding + " is not a byte");
      }
    }
    checkUsable();
    int count = data.length;
    long[] refs = new long[count];
    boolean[] cutBefore = new boolean[count];
    planCuts(data, cutBefore);
    boolean ok = false;
    try {
      if (file == null) {
        cut();
      }
      for (int i = 0; i < count; i++) {
        if (cutBefore[i]) {
          cut();
        }
        refs[i] = writeRecord(encodings[i], data[i]);
      }
      ok = true;
    } finally {
      if (!ok) {
        failed = true;
      }
    }
    return refs;
  }

  /** Decides before which chunks a new file starts (Prometheus' batching in {@code WriteChunks}). */
  private void planCuts(ByteBuffer[] data, boolean[] cutBefore) {
    long batchBytes = 0;
    boolean firstBatch = true;
    for (int i = 0; i < data.length; i++) {
      long size = RECORD_OVERHEAD + (long) data[i].remaining();
      batchBytes += size;
      boolean cut = i != 0 && batchBytes + HEADER_BYTES > maxSegmentBytes;
      if (firstBatch && written > HEADER_BYTES) {
        cut = batchBytes + written > maxSegmentBytes;
        if (cut) {
          firstBatch = false;
        }
      }
      if (cut) {
        cutBefore[i] = true;
        batchBytes = size;
      }
    }
  }

  private long writeRecord(int encoding, ByteBuffer data) throws IOException {
    long offset = written;
    if (offset > 0xFFFFFFFFL) {
      throw new IOException("chunk offset " + offset + " in " + dir.resolve(segmentName(sequence - 1))
          + " exceeds 32 bits");
    }
    int length = data.remaining();
    crc.reset();
    crc.update(encoding);
    crc.update(data.duplicate());
    ensureRoom(5 + 1);
    long v = length & 0xFFFFFFFFL;
    int varintBytes = 0;
    while (v >= 0x80) {
      buffer.put((byte) (v | 0x80));
      v >>>= 7;
      varintBytes++;
    }
    buffer.put((byte) v);
    buffer.put((byte) encoding);
    ByteBuffer source = data.duplicate();
    while (source.hasRemaining()) {
      if (!buffer.hasRemaining()) {
        flushBuffer();
      }
      int n = Math.min(buffer.remaining(), source.remaining());
      ByteBuffer part = source.slice(source.position(), n);
      buffer.put(part);
      source.position(source.position() + n);
    }
    ensureRoom(4);
    buffer.putInt((int) crc.getValue());
    written += varintBytes + 1 + 1 + length + 4;
    return ChunkRef.of(sequence - 1, offset);
  }

  private void ensureRoom(int bytes) throws IOException {
    if (buffer.remaining() < bytes) {
      flushBuffer();
    }
  }

  private void flushBuffer() throws IOException {
    buffer.flip();
    while (buffer.hasRemaining()) {
      file.write(buffer);
    }
    buffer.clear();
  }

  /** Finishes the current file, if any, and starts the next one with its header. */
  private void cut() throws IOException {
    finishFile();
    if (sequence == 0) {
      Files.createDirectories(dir);
    }
    sequence++;
    file = FileChannel.open(dir.resolve(segmentName(sequence - 1)), StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE);
    buffer.putInt(MAGIC).put((byte) FORMAT_V1).put((byte) 0).put((byte) 0).put((byte) 0);
    written = HEADER_BYTES;
  }

  private void finishFile() throws IOException {
    if (file == null) {
      return;
    }
    try (FileChannel f = file) {
      flushBuffer();
      f.force(true);
    } finally {
      file = null;
    }
  }

  private void checkUsable() {
    if (closed) {
      throw new IllegalStateException("chunk segment writer for " + dir + " is closed");
    }
    if (failed) {
      throw new IllegalStateException("chunk segment writer for " + dir + " failed earlier");
    }
  }

  /** Number of segment files created so far. */
  public int segmentCount() {
    return sequence;
  }

  /** Bytes in the current segment file so far, header included; 0 before the first file. */
  public long currentSegmentBytes() {
    return written;
  }

  /** Flushes and syncs the last file and the directory (if any file was written). Idempotent. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (failed) {
        if (file != null) {
          file.close();
          file = null;
        }
        return;
      }
      finishFile();
    } finally {
      buffer.clear();
    }
    if (sequence > 0) {
      syncDirectory();
    }
  }

  private void syncDirectory() throws IOException {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      // Some platforms (Windows) cannot open a directory; the files themselves are synced.
      if (!System.getProperty("os.name", "").startsWith("Windows")) {
        throw e;
      }
    }
  }
}
