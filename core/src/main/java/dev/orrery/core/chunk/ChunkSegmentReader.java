package dev.orrery.core.chunk;

import static java.util.Objects.requireNonNull;

import dev.orrery.core.OrreryException;
import dev.orrery.core.io.ByteSource;
import dev.orrery.core.io.CorruptBlockException;
import dev.orrery.core.io.CorruptDataException;
import dev.orrery.core.io.MmapByteSource;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Reads chunks from a block's segment files (FORMATS.md section 3) by chunk reference: Prometheus'
 * {@code chunks.Reader}. Every segment's header (size, magic, version) is checked when the reader is opened; every
 * chunk it returns has had its reference, record length, CRC32C and encoding checked. Problems are reported as
 * {@link CorruptChunkException} naming the file and offset, e.g. {@code "chunk CRC32C mismatch in
 * 01HX.../chunks/000003 at offset 1048577: expected 1a2b3c4d, actual 00ff00ff"}.
 *
 * <p>Thread-safe. Chunks returned may be views of memory-mapped files: use them only while the reader is open.
 */
public final class ChunkSegmentReader implements AutoCloseable {
  private static final int MAX_LENGTH_VARINT_BYTES = 5;

  private final String name;
  private final ByteSource[] segments;
  private final long[] sizes;
  private final boolean ownsSources;
  private volatile boolean closed;

  private ChunkSegmentReader(String name, ByteSource[] segments, long[] sizes, boolean ownsSources) {
    this.name = name;
    this.segments = segments;
    this.sizes = sizes;
    this.ownsSources = ownsSources;
  }

  /** Same as {@link #open(Path, String)}, naming files by their path. */
  public static ChunkSegmentReader open(Path chunksDir) throws IOException {
    return open(chunksDir, chunksDir.toString());
  }

  /**
   * Memory-maps the segment files of {@code chunksDir} (files named by unsigned decimal numbers, in name order as
   * Prometheus lists them; other files are ignored) and checks their headers. A missing directory is a block without
   * chunks. The caller closes the reader, which closes the mappings.
   *
   * @param name prefix for error messages, e.g. {@code 01J.../chunks}; files are named {@code name/000001} and so on
   * @throws CorruptBlockException if a file is shorter than 8 bytes or has a wrong magic number or version
   * @throws IOException if the directory or a file cannot be read
   */
  public static ChunkSegmentReader open(Path chunksDir, String name) throws IOException {
    requireNonNull(name, "name is null");
    List<Path> files;
    try {
      files = segmentFiles(chunksDir);
    } catch (NoSuchFileException e) {
      return new ChunkSegmentReader(name, new ByteSource[0], new long[0], true);
    }
    List<ByteSource> sources = new ArrayList<>(files.size());
    try {
      for (Path f : files) {
        sources.add(MmapByteSource.open(f, name + "/" + f.getFileName()));
      }
      return open(name, sources, true);
    } catch (IOException | RuntimeException e) {
      closeAll(sources, e);
      throw e;
    }
  }

  /**
   * A reader over segment files given as byte sources, one per file in segment order (for example byte ranges of
   * objects in a bucket), with their headers checked. Does not take ownership: the caller closes the sources after
   * the reader.
   *
   * @throws CorruptBlockException if a source is shorter than 8 bytes or has a wrong magic number or version
   */
  public static ChunkSegmentReader open(List<? extends ByteSource> sources) throws IOException {
    return open(sources.isEmpty() ? "chunks" : sources.get(0).name(), sources, false);
  }

  private static ChunkSegmentReader open(String name, List<? extends ByteSource> sources, boolean owns)
      throws IOException {
    ByteSource[] array = sources.toArray(new ByteSource[0]);
    long[] sizes = new long[array.length];
    for (int i = 0; i < array.length; i++) {
      sizes[i] = checkHeader(requireNonNull(array[i], "segment source is null"));
    }
    return new ChunkSegmentReader(name, array, sizes, owns);
  }

  private static long checkHeader(ByteSource source) throws IOException {
    long size = source.size();
    if (size < ChunkSegmentWriter.HEADER_BYTES) {
      throw new CorruptBlockException(source.name(), 0,
          "segment file of " + size + " bytes is shorter than its " + ChunkSegmentWriter.HEADER_BYTES + "-byte header");
    }
    ByteBuffer header = source.read(0, ChunkSegmentWriter.HEADER_BYTES);
    int magic = header.getInt(0);
    if (magic != ChunkSegmentWriter.MAGIC) {
      throw new CorruptBlockException(source.name(), 0, String.format(
          "bad segment magic number: expected %08x, actual %08x", ChunkSegmentWriter.MAGIC, magic));
    }
    int version = header.get(4) & 0xFF;
    if (version != ChunkSegmentWriter.FORMAT_V1) {
      throw new CorruptBlockException(source.name(), 4,
          "unsupported segment version " + version + ", expected " + ChunkSegmentWriter.FORMAT_V1);
    }
    return size;
  }

  /**
   * The segment files of {@code dir}: regular files whose names are unsigned decimal numbers, in name order (Go's
   * {@code os.ReadDir} order, which Prometheus' {@code sequenceFiles} keeps).
   */
  static List<Path> segmentFiles(Path dir) throws IOException {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      for (Path p : stream) {
        String fileName = p.getFileName().toString();
        if (isDecimal(fileName) && Files.isRegularFile(p)) {
          files.add(p);
        }
      }
    }
    files.sort(Comparator.comparing(p -> p.getFileName().toString()));
    return files;
  }

  private static boolean isDecimal(String s) {
    if (s.isEmpty() || s.length() > 20) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return s.length() < 20 || s.compareTo("18446744073709551615") <= 0;
  }

  /** Number of segment files. */
  public int segmentCount() {
    return segments.length;
  }

  /**
   * The chunk at {@code ref}, decoded lazily by its encoding's {@link Chunk}.
   *
   * @throws CorruptChunkException if the reference points outside the files, the record is cut off, its CRC32C does
   *     not match, or its encoding byte is unknown
   * @throws OrreryException with {@link OrreryException.ErrorCode#UNSUPPORTED} for encodings {@link Chunk#of} does not
   *     decode (Thanos' AGGR; use {@link #rawChunk(long)}), or {@link OrreryException.ErrorCode#STORAGE} if reading
   *     the source fails
   * @throws IllegalStateException if the reader is closed
   */
  public Chunk chunk(long ref) {
    RawChunk raw = rawChunk(ref);
    return Chunk.of(raw.encoding(), raw.data(), raw.resource(), raw.dataOffset());
  }

  /**
   * The checked but undecoded chunk at {@code ref}: for encodings decoded elsewhere (Thanos' AGGR) and for copying
   * chunks unchanged.
   *
   * @throws CorruptChunkException as {@link #chunk(long)}; an unknown encoding byte is not an error here
   */
  public RawChunk rawChunk(long ref) {
    checkOpen();
    int segment = ChunkRef.segmentIndex(ref);
    long offset = ChunkRef.offset(ref);
    if (segment < 0 || segment >= segments.length) {
      throw new CorruptChunkException(name, -1, "chunk reference to a missing segment file",
          "reference " + ChunkRef.toString(ref) + " names segment index " + Integer.toUnsignedString(segment) + " but "
              + segments.length + " segment files exist");
    }
    try {
      return readRecord(segments[segment], sizes[segment], offset, ref);
    } catch (CorruptBlockException e) {
      throw new CorruptChunkException(e.resource(), e.offset(), "chunk record out of range", e.getMessage());
    } catch (IOException e) {
      throw new OrreryException(OrreryException.ErrorCode.STORAGE,
          "reading chunk " + ChunkRef.toString(ref) + " from " + segments[segment].name() + " failed: "
              + e.getMessage(), e);
    }
  }

  private static RawChunk readRecord(ByteSource source, long size, long offset, long ref) throws IOException {
    String resource = source.name();
    if (offset < ChunkSegmentWriter.HEADER_BYTES || offset >= size) {
      throw new CorruptChunkException(resource, offset, "chunk reference offset out of range",
          "reference " + ChunkRef.toString(ref) + ", records span [" + ChunkSegmentWriter.HEADER_BYTES + ", " + size
              + ")");
    }
    int headerLength = (int) Math.min(MAX_LENGTH_VARINT_BYTES + 1, size - offset);
    ByteBuffer header = source.read(offset, headerLength);
    long length = 0;
    int varintBytes = 0;
    while (true) {
      if (varintBytes == MAX_LENGTH_VARINT_BYTES || varintBytes >= headerLength) {
        throw new CorruptChunkException(resource, offset, "invalid chunk length",
            "no complete uvarint in the " + Math.min(MAX_LENGTH_VARINT_BYTES, headerLength) + " bytes at the offset");
      }
      int b = header.get(varintBytes) & 0xFF;
      length |= (long) (b & 0x7F) << (7 * varintBytes);
      varintBytes++;
      if (b < 0x80) {
        break;
      }
    }
    long required = varintBytes + 1 + length + 4;
    if (length > BitReader.MAX_BYTES || offset + required > size) {
      throw new CorruptChunkException(resource, offset, "chunk record past the end of the segment",
          "required " + required + " bytes, available " + (size - offset));
    }
    ByteBuffer record = source.read(offset + varintBytes, (int) (1 + length + 4));
    int dataLength = (int) length;
    int expected = record.getInt(1 + dataLength);
    CRC32C crc = new CRC32C();
    crc.update(record.slice(0, 1 + dataLength));
    int actual = (int) crc.getValue();
    if (expected != actual) {
      throw new CorruptChunkException(resource, offset, "chunk CRC32C mismatch",
          String.format("expected %08x, actual %08x", expected, actual));
    }
    int encoding = record.get(0) & 0xFF;
    return new RawChunk(encoding, record.slice(1, dataLength).asReadOnlyBuffer(), resource, offset + varintBytes + 1);
  }

  /**
   * Walks every record of every segment file: length varint, bounds, CRC32C, a known encoding and a well-formed chunk
   * header, and that the records tile each file exactly. For {@code orrery tools block verify}; the samples themselves
   * are decoded by the block verifier, series by series. A file cut exactly at a record boundary looks sound here;
   * the index's chunk references show the loss.
   *
   * @return one message per file with a problem (the first problem found in it, naming file and offset); empty when
   *     every file is sound
   */
  public List<String> verify() {
    checkOpen();
    List<String> problems = new ArrayList<>();
    for (int s = 0; s < segments.length; s++) {
      long offset = ChunkSegmentWriter.HEADER_BYTES;
      try {
        while (offset < sizes[s]) {
          RawChunk raw = readRecord(segments[s], sizes[s], offset, ChunkRef.of(s, offset));
          ChunkEncoding encoding = ChunkEncoding.fromCode(raw.encoding());
          if (encoding == null) {
            throw new CorruptChunkException(raw.resource(), offset, "unknown chunk encoding",
                "byte " + raw.encoding() + " (0x" + Integer.toHexString(raw.encoding()) + ")");
          }
          if (encoding != ChunkEncoding.AGGR) {
            Chunk.of(encoding, raw.data(), raw.resource(), raw.dataOffset());
          }
          offset = raw.dataOffset() + raw.data().remaining() + 4;
        }
      } catch (CorruptDataException e) {
        problems.add(e.getMessage());
      } catch (IOException e) {
        problems.add("cannot read " + segments[s].name() + " at offset " + offset + ": " + e.getMessage());
      }
    }
    return problems;
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("chunk segment reader for " + name + " is closed");
    }
  }

  /** Closes the segment sources this reader opened (not those given to {@link #open(List)}). Idempotent. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    if (!ownsSources) {
      return;
    }
    IOException failure = null;
    for (ByteSource s : segments) {
      try {
        s.close();
      } catch (IOException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  private static void closeAll(List<? extends ByteSource> sources, Throwable primary) {
    for (ByteSource s : sources) {
      if (s == null) {
        continue;
      }
      try {
        s.close();
      } catch (IOException | RuntimeException e) {
        primary.addSuppressed(e);
      }
    }
  }

  /**
   * A chunk record whose CRC32C matched, not yet decoded.
   *
   * @param encoding the encoding byte
   * @param data the chunk data (read-only; valid while the reader is open)
   * @param resource the segment file
   * @param dataOffset file offset of the first data byte
   */
  public record RawChunk(int encoding, ByteBuffer data, String resource, long dataOffset) {}

}
