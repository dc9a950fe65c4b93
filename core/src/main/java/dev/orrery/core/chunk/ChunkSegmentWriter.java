package dev.orrery.core.chunk;

import dev.orrery.core.io.Varint;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Writes a block's chunk segment files {@code chunks/000001}, {@code 000002}, ... (FORMATS.md 3): an 8-byte header
 * (magic {@value #MAGIC_HEX}, version 1, 3 zero bytes) followed by records {@code uvarint len | encoding | data |
 * CRC32C(encoding, data)}. Files are cut with exactly Prometheus' rules (3.4), decided once per
 * {@link #writeSeries} call, so one series' chunks may span two files. Confined to one thread; the caller closes it.
 */
public final class ChunkSegmentWriter implements AutoCloseable {
  /** Segment file magic number. */
  public static final int MAGIC = 0x85BD40DD;
  static final String MAGIC_HEX = "0x85BD40DD";
  /** Segment file format version. */
  public static final int FORMAT_V1 = 1;
  /** Bytes before the first record. */
  public static final int HEADER_BYTES = 8;
  // Pessimistic record size Prometheus uses for cut decisions: max uvarint32 + encoding + CRC.
  private static final int RECORD_OVERHEAD = Varint.MAX_LEN_32 + 1 + 4;

  private final Path dir;
  private final long maxSegmentBytes;
  private OutputStream out;
  private int segmentIndex = -1;
  private long fileBytes;
  private boolean fileHasRecords;
  private final byte[] head = new byte[Varint.MAX_LEN_32 + 1];
  private final byte[] crcBytes = new byte[4];
  private boolean closed;

  /**
   * @param dir the block's {@code chunks} directory (must exist)
   * @param maxSegmentBytes cut size; Prometheus' default is 512 MiB
   */
  public ChunkSegmentWriter(Path dir, long maxSegmentBytes) {
    if (maxSegmentBytes <= HEADER_BYTES) {
      throw new IllegalArgumentException("segment size must exceed the " + HEADER_BYTES + "-byte header: "
          + maxSegmentBytes);
    }
    this.dir = dir;
    this.maxSegmentBytes = maxSegmentBytes;
  }

  /** Name of the segment file with 0-based index {@code index}: {@code 000001} for 0. */
  public static String segmentName(int index) {
    return String.format("%06d", index + 1);
  }

  /**
   * Writes all chunks of one series, in order, and returns their references ({@code segmentIndex << 32 | offset}).
   *
   * @throws IOException if writing fails
   */
  public long[] writeSeries(List<? extends Chunk> chunks) throws IOException {
    if (closed) {
      throw new IllegalStateException("chunk segment writer is closed");
    }
    long[] refs = new long[chunks.size()];
    if (out == null) {
      cut();
    }
    long runningSize = 0;
    boolean cutInCall = false;
    boolean startedWithRecords = fileHasRecords;
    long bytesAtStart = fileBytes;
    for (int i = 0; i < refs.length; i++) {
      long size = RECORD_OVERHEAD + chunks.get(i).bytes().remaining();
      runningSize += size;
      boolean cutNow;
      if (startedWithRecords && !cutInCall) {
        cutNow = bytesAtStart + runningSize > maxSegmentBytes;
      } else {
        cutNow = i > 0 && runningSize + HEADER_BYTES > maxSegmentBytes;
      }
      if (cutNow) {
        cut();
        cutInCall = true;
        runningSize = size;
      }
      refs[i] = ((long) segmentIndex << 32) | fileBytes;
      writeRecord(chunks.get(i));
    }
    return refs;
  }

  private void writeRecord(Chunk chunk) throws IOException {
    ByteBuffer data = chunk.bytes();
    int len = data.remaining();
    int n = Varint.putUvarint(head, 0, len);
    head[n] = (byte) chunk.encoding().code();
    byte[] bytes = new byte[len];
    data.get(data.position(), bytes, 0, len);
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(head, n, 1);
    crc.update(bytes, 0, len);
    int c = (int) crc.getValue();
    crcBytes[0] = (byte) (c >>> 24);
    crcBytes[1] = (byte) (c >>> 16);
    crcBytes[2] = (byte) (c >>> 8);
    crcBytes[3] = (byte) c;
    out.write(head, 0, n + 1);
    out.write(bytes);
    out.write(crcBytes);
    fileBytes += n + 1 + len + 4;
    fileHasRecords = true;
  }

  private void cut() throws IOException {
    closeFile();
    segmentIndex++;
    Path file = dir.resolve(segmentName(segmentIndex));
    out = new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE), 1 << 16);
    ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).putInt(MAGIC).put((byte) FORMAT_V1);
    out.write(header.array());
    fileBytes = HEADER_BYTES;
    fileHasRecords = false;
  }

  private void closeFile() throws IOException {
    if (out != null) {
      out.close();
      out = null;
    }
  }

  /** Number of segment files written so far. */
  public int segmentCount() {
    return segmentIndex + 1;
  }

  @Override
  public void close() throws IOException {
    if (!closed) {
      closed = true;
      closeFile();
    }
  }
}
