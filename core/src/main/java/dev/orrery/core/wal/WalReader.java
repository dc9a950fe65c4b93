package dev.orrery.core.wal;

import static dev.orrery.core.wal.WalWriter.FIRST;
import static dev.orrery.core.wal.WalWriter.FULL;
import static dev.orrery.core.wal.WalWriter.HEADER_SIZE;
import static dev.orrery.core.wal.WalWriter.LAST;
import static dev.orrery.core.wal.WalWriter.MIDDLE;
import static dev.orrery.core.wal.WalWriter.PAGE_SIZE;
import static dev.orrery.core.wal.WalWriter.PAGE_TERM;
import static dev.orrery.core.wal.WalWriter.SNAPPY;
import static dev.orrery.core.wal.WalWriter.TYPE_MASK;
import static dev.orrery.core.wal.WalWriter.ZSTD;

import dev.orrery.core.io.Crc32c;
import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.commons.compress.compressors.snappy.SnappyCompressorInputStream;

/**
 * Reads the records of consecutive WAL segments in order (the format {@link WalWriter} describes), checking every
 * fragment: its type and place in the record, its length against the page, its CRC32C, and that no record is left
 * unfinished at the end of a segment. Snappy-compressed records are decompressed. A problem is a {@link
 * WalCorruptionException} naming the segment file and the offset of the bad fragment; the records returned before it
 * are intact. A segment whose last page is short (the writer stopped mid-page) reads as if zero-filled, as in
 * Prometheus.
 *
 * <p>Confined to one thread.
 */
public final class WalReader implements Closeable {
  private final Path dir;
  private final int[] segments;
  private int current = -1;
  private FileChannel channel;
  private final byte[] page = new byte[PAGE_SIZE];
  /** Offset of the page in its segment, bytes of it that came from the file, and the read position in it. */
  private long pageStart;
  private long nextPageStart;
  private int pageValid;
  private int pagePos = PAGE_SIZE;
  private byte[] record = new byte[1024];
  private int recordLength;
  private long recordOffset;

  private WalReader(Path dir, int[] segments) {
    this.dir = dir;
    this.segments = segments;
  }

  /** A reader over every segment in {@code dir}. */
  public static WalReader open(Path dir) throws IOException {
    return new WalReader(dir, WalSegments.list(dir));
  }

  /** A reader over the segments of {@code dir} from index {@code first} on. */
  public static WalReader open(Path dir, int first) throws IOException {
    return new WalReader(dir, Arrays.stream(WalSegments.list(dir)).filter(i -> i >= first).toArray());
  }

  /** The segment indexes this reader covers, ascending. */
  public int[] segments() {
    return segments.clone();
  }

  /**
   * Advances to the next record.
   *
   * @return false after the last one
   * @throws WalCorruptionException at a bad fragment; the reader must not be used after it
   */
  public boolean next() throws IOException {
    recordLength = 0;
    int fragments = 0;
    boolean compressed = false;
    while (true) {
      if (pagePos >= PAGE_SIZE && !nextPage()) {
        if (fragments > 0) {
          throw corrupt(pageStart + pagePos, "the last record is torn: the segment ends inside it");
        }
        if (!nextSegment()) {
          return false;
        }
        continue;
      }
      long at = pageStart + pagePos;
      int header = page[pagePos] & 0xFF;
      int type = header & TYPE_MASK;
      if (type == PAGE_TERM) {
        for (int i = pagePos; i < PAGE_SIZE; i++) {
          if (page[i] != 0) {
            throw corrupt(pageStart + i, "unexpected non-zero byte in a padded page");
          }
        }
        pagePos = PAGE_SIZE;
        continue;
      }
      if ((header & ~(TYPE_MASK | SNAPPY | ZSTD)) != 0 || type > LAST) {
        throw corrupt(at, "unknown fragment type 0x" + Integer.toHexString(header));
      }
      if ((header & ZSTD) != 0) {
        throw new IOException(segmentFile() + " at offset " + at + ": zstd-compressed WAL records cannot be read "
            + "(write the WAL with snappy or no compression)");
      }
      if (pagePos + HEADER_SIZE > PAGE_SIZE) {
        throw corrupt(at, "fragment header crosses the end of the page");
      }
      int length = ((page[pagePos + 1] & 0xFF) << 8) | (page[pagePos + 2] & 0xFF);
      int crc = ByteBuffer.wrap(page, pagePos + 3, 4).getInt();
      int dataStart = pagePos + HEADER_SIZE;
      if (dataStart + length > PAGE_SIZE) {
        throw corrupt(at, "fragment of " + length + " bytes does not fit its page");
      }
      if (dataStart + length > pageValid) {
        throw corrupt(at, "the segment ends inside a fragment (torn write)");
      }
      int actual = Crc32c.of(page, dataStart, length);
      if (actual != crc) {
        throw corrupt(at, String.format("fragment CRC32C mismatch: stored %08x, computed %08x", crc, actual));
      }
      boolean starts = type == FULL || type == FIRST;
      if (starts != (fragments == 0)) {
        throw corrupt(at, (fragments == 0 ? "a record starts with a " : "a record continues with a ")
            + typeName(type) + " fragment");
      }
      if (fragments == 0) {
        recordOffset = at;
      }
      append(dataStart, length);
      compressed |= (header & SNAPPY) != 0;
      pagePos = dataStart + length;
      fragments++;
      if (type == FULL || type == LAST) {
        if (compressed) {
          decompress();
        }
        return true;
      }
    }
  }

  private static String typeName(int type) {
    return switch (type) {
      case FULL -> "full";
      case FIRST -> "first";
      case MIDDLE -> "middle";
      default -> "last";
    };
  }

  private void append(int from, int length) {
    if (recordLength + length > record.length) {
      record = Arrays.copyOf(record, Math.max(record.length * 2, recordLength + length));
    }
    System.arraycopy(page, from, record, recordLength, length);
    recordLength += length;
  }

  private void decompress() throws IOException {
    try (SnappyCompressorInputStream in = new SnappyCompressorInputStream(
        new ByteArrayInputStream(record, 0, recordLength))) {
      record = in.readAllBytes();
      recordLength = record.length;
    } catch (IOException | RuntimeException e) {
      throw new WalCorruptionException(segmentFile(), segments[current], recordOffset,
          "snappy-compressed record does not decompress: " + e.getMessage(), e);
    }
  }

  /** Reads the next page of the current segment, zero-filling a short one; false at the end of the segment. */
  private boolean nextPage() throws IOException {
    if (channel == null) {
      return false;
    }
    ByteBuffer b = ByteBuffer.wrap(page);
    while (b.hasRemaining()) {
      if (channel.read(b) < 0) {
        break;
      }
    }
    if (b.position() == 0) {
      return false;
    }
    Arrays.fill(page, b.position(), PAGE_SIZE, (byte) 0);
    pageStart = nextPageStart;
    nextPageStart += PAGE_SIZE;
    pageValid = b.position();
    pagePos = 0;
    return true;
  }

  private boolean nextSegment() throws IOException {
    if (channel != null) {
      channel.close();
      channel = null;
    }
    if (current + 1 >= segments.length) {
      return false;
    }
    current++;
    channel = FileChannel.open(segmentFile());
    pageStart = 0;
    nextPageStart = 0;
    pageValid = 0;
    pagePos = PAGE_SIZE;
    return true;
  }

  /** The current record; valid until the next call to {@link #next}. */
  public byte[] record() {
    return record;
  }

  /** Length of the current record. */
  public int recordLength() {
    return recordLength;
  }

  /** Index of the segment the current record is in. */
  public int segment() {
    return segments[current];
  }

  /** Offset of the current record's first fragment in its segment. */
  public long recordOffset() {
    return recordOffset;
  }

  /** The file of the current segment. */
  public Path segmentFile() {
    return WalSegments.path(dir, segments[Math.max(current, 0)]);
  }

  private WalCorruptionException corrupt(long offset, String message) {
    return new WalCorruptionException(segmentFile(), segments[current], offset, message);
  }

  @Override
  public void close() throws IOException {
    if (channel != null) {
      channel.close();
      channel = null;
    }
  }
}
