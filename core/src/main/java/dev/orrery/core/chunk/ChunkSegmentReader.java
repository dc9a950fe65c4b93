package dev.orrery.core.chunk;

import dev.orrery.core.io.ByteSource;
import dev.orrery.core.io.CorruptBlockException;
import dev.orrery.core.io.CorruptDataException;
import dev.orrery.core.io.MmapByteSource;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * Reads chunks by reference from a block's segment files (FORMATS.md 3), memory-mapped or from any
 * {@link ByteSource}s (for example byte ranges of objects in a bucket). Headers are checked at open; every chunk
 * returned has had its length, encoding and CRC32C checked, so a flipped bit surfaces as a
 * {@link CorruptChunkException} naming the segment file and offset instead of wrong samples.
 *
 * <p>Thread-safe. Chunks returned are views of the sources, valid until {@link #close()}.
 */
public final class ChunkSegmentReader implements AutoCloseable {
  private final List<ByteSource> segments;
  private final boolean ownsSources;

  private ChunkSegmentReader(List<ByteSource> segments, boolean ownsSources) {
    this.segments = segments;
    this.ownsSources = ownsSources;
  }

  /**
   * Opens every segment file in {@code chunksDir} (files named by unsigned decimal numbers, in name order; other
   * files are ignored), memory-mapped. A missing directory means a block without chunks.
   *
   * @param name prefix for error messages, e.g. {@code 01J.../chunks}
   * @throws CorruptBlockException if a file is shorter than its header or has a bad magic or version
   */
  public static ChunkSegmentReader open(Path chunksDir, String name) throws IOException {
    List<Path> files = new ArrayList<>();
    try (Stream<Path> list = Files.list(chunksDir)) {
      for (Path p : (Iterable<Path>) list::iterator) {
        if (p.getFileName().toString().matches("[0-9]+") && Files.isRegularFile(p)) {
          files.add(p);
        }
      }
    } catch (NoSuchFileException e) {
      return new ChunkSegmentReader(List.of(), true);
    }
    files.sort(null);
    List<ByteSource> sources = new ArrayList<>(files.size());
    try {
      for (Path f : files) {
        sources.add(MmapByteSource.open(f, name + "/" + f.getFileName()));
      }
      return open(sources, true);
    } catch (IOException | RuntimeException e) {
      for (ByteSource s : sources) {
        s.close();
      }
      throw e;
    }
  }

  /**
   * A reader over {@code sources}, one per segment file in order. Does not take ownership: the caller closes the
   * sources after the reader.
   *
   * @throws CorruptBlockException if a header is bad
   */
  public static ChunkSegmentReader open(List<? extends ByteSource> sources) throws IOException {
    return open(sources, false);
  }

  private static ChunkSegmentReader open(List<? extends ByteSource> sources, boolean owns) throws IOException {
    for (ByteSource s : sources) {
      if (s.size() < ChunkSegmentWriter.HEADER_BYTES) {
        throw new CorruptBlockException(s.name(), 0, "segment file of " + s.size()
            + " bytes is shorter than its 8-byte header");
      }
      ByteBuffer h = s.read(0, ChunkSegmentWriter.HEADER_BYTES);
      int magic = h.getInt(0);
      if (magic != ChunkSegmentWriter.MAGIC) {
        throw new CorruptBlockException(s.name(), 0, String.format(
            "bad segment magic number: expected %08x, actual %08x", ChunkSegmentWriter.MAGIC, magic));
      }
      int version = h.get(4) & 0xFF;
      if (version != ChunkSegmentWriter.FORMAT_V1) {
        throw new CorruptBlockException(s.name(), 4, "unsupported segment version " + version + " (want 1)");
      }
    }
    return new ChunkSegmentReader(List.copyOf(sources), owns);
  }

  /** Number of segment files. */
  public int segmentCount() {
    return segments.size();
  }

  /**
   * The chunk at {@code ref}, checked.
   *
   * @throws CorruptChunkException if the reference points outside the files, or the record is malformed or fails its
   *     CRC32C
   */
  public Chunk chunk(long ref) {
    int seg = (int) (ref >>> 32);
    long off = ref & 0xFFFFFFFFL;
    if (seg < 0 || seg >= segments.size()) {
      throw new CorruptChunkException(segments.isEmpty() ? "chunks" : segments.get(0).name(), off,
          "chunk reference out of range", "segment index " + seg + " but the block has " + segments.size()
              + " segment files (ref " + Long.toHexString(ref) + ")");
    }
    ByteSource s = segments.get(seg);
    try {
      return readRecord(s, off, null);
    } catch (IOException e) {
      throw new CorruptChunkException(s.name(), off, "cannot read chunk", e.getMessage());
    }
  }

  // Reads the record at off; when next is given, stores the offset after the record in next[0].
  private static Chunk readRecord(ByteSource s, long off, long[] next) throws IOException {
    long size = s.size();
    if (off < ChunkSegmentWriter.HEADER_BYTES || off >= size) {
      throw new CorruptChunkException(s.name(), off, "chunk reference out of range",
          "offset outside the records [8, " + size + ")");
    }
    ByteBuffer lenBytes = s.read(off, (int) Math.min(5, size - off));
    long len = 0;
    int shift = 0;
    int n = 0;
    while (true) {
      if (n >= lenBytes.limit()) {
        throw new CorruptChunkException(s.name(), off, "truncated chunk length", "varint runs past the end");
      }
      int b = lenBytes.get(n++) & 0xFF;
      len |= (long) (b & 0x7F) << shift;
      if (b < 0x80) {
        break;
      }
      shift += 7;
    }
    long end = off + n + 1 + len + 4;
    if (len > Integer.MAX_VALUE || end > size) {
      throw new CorruptChunkException(s.name(), off, "segment doesn't include enough bytes to read the chunk",
          "required " + (off + n + 1 + len + 4) + ", available " + size);
    }
    ByteBuffer rec = s.read(off + n, (int) (1 + len + 4));
    int encoding = rec.get(0) & 0xFF;
    CRC32C crc = new CRC32C();
    crc.update(rec.slice(0, (int) (1 + len)));
    int want = rec.getInt((int) (1 + len));
    int got = (int) crc.getValue();
    if (want != got) {
      throw new CorruptChunkException(s.name(), off, "chunk CRC32C mismatch",
          String.format("expected %08x, actual %08x", want, got));
    }
    if (next != null) {
      next[0] = end;
    }
    return Chunk.of(encoding, rec.slice(1, (int) len), s.name(), off + n + 1);
  }

  /**
   * Walks every record of every segment file, checking lengths, encodings, CRCs and that records fill each file
   * exactly. Returns a description of each problem (empty when sound); stops at the first problem of a file.
   */
  public List<String> verify() {
    List<String> problems = new ArrayList<>();
    long[] next = new long[1];
    for (ByteSource s : segments) {
      long off = ChunkSegmentWriter.HEADER_BYTES;
      try {
        while (off < s.size()) {
          Chunk c = readRecord(s, off, next);
          c.numSamples();
          off = next[0];
        }
      } catch (CorruptDataException e) {
        problems.add(e.getMessage());
      } catch (IOException e) {
        problems.add("cannot read " + s.name() + ": " + e.getMessage());
      } catch (RuntimeException e) {
        problems.add(s.name() + " at offset " + off + ": " + e.getMessage());
      }
    }
    return problems;
  }

  @Override
  public void close() throws IOException {
    if (ownsSources) {
      IOException first = null;
      for (ByteSource s : segments) {
        try {
          s.close();
        } catch (IOException e) {
          if (first == null) {
            first = e;
          } else {
            first.addSuppressed(e);
          }
        }
      }
      if (first != null) {
        throw first;
      }
    }
  }
}
