package dev.orrery.storeapi.gateway;

import static java.util.Objects.requireNonNull;

import dev.orrery.core.index.Toc;
import dev.orrery.core.io.ByteSource;
import dev.orrery.core.io.CorruptBlockException;
import dev.orrery.core.io.Crc32c;
import dev.orrery.core.io.MmapByteSource;
import dev.orrery.objstore.Bucket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A Thanos index-header (FORMATS.md 6.2, version 1): the symbol table and the postings offset table of a block's
 * remote {@code index}, copied verbatim into a small local file, so that a store gateway can plan postings and series
 * reads without downloading the index. It is a cache: {@link #openOrBuild} reuses a file that parses and rebuilds one
 * that does not.
 *
 * <pre>
 * BE32 magic 0xBAAAD792 | u8 version 1 | u8 index version | BE64 postingsTable offset of the remote index
 * symbols copy      = remote [TOC.symbols, TOC.series)
 * postings copy     = remote [TOC.postingsTable, EOF)   (postings offset table + the index's 52-byte TOC)
 * BE64 symbolsOffset (= 14) | BE64 postingsOffsetTableOffset | BE32 CRC32C of the 16 bytes before
 * </pre>
 *
 * <p>An open header is a memory mapping of the file; {@link #source()} serves it. Thread-safe; close it when the block
 * is unloaded.
 */
public final class IndexHeader implements AutoCloseable {
  /** Magic number of an index-header file. */
  public static final int MAGIC = 0xBAAAD792;
  /** The only index-header version. */
  public static final int VERSION = 1;
  /** Name of the file inside the block's local directory. */
  public static final String FILE_NAME = "index-header";

  static final int INDEX_MAGIC = 0xBAAAD700;
  static final int PREFIX_BYTES = 14;
  static final int TOC_BYTES = 20;
  private static final int INDEX_HEADER_BYTES = 5;

  private final MmapByteSource file;
  private final int indexVersion;
  private final Toc toc;
  private final long indexSize;
  private final long symbolsEnd;
  private final long postingsCopyAt;

  private IndexHeader(MmapByteSource file, int indexVersion, Toc toc, long indexSize, long symbolsEnd,
      long postingsCopyAt) {
    this.file = file;
    this.indexVersion = indexVersion;
    this.toc = toc;
    this.indexSize = indexSize;
    this.symbolsEnd = symbolsEnd;
    this.postingsCopyAt = postingsCopyAt;
  }

  /**
   * Opens {@code dir/index-header}, building it from the remote index first when it is missing or does not parse.
   *
   * @param bucket the bucket holding the block
   * @param indexKey key of the block's {@code index} object
   * @param dir the block's local directory; created when missing
   * @throws CorruptBlockException if the remote index is malformed
   * @throws IOException if the bucket or the local disk fails
   */
  public static IndexHeader openOrBuild(Bucket bucket, String indexKey, Path dir) throws IOException {
    requireNonNull(bucket, "bucket is null");
    requireNonNull(indexKey, "indexKey is null");
    Path file = dir.resolve(FILE_NAME);
    if (Files.exists(file)) {
      try {
        return open(file);
      } catch (CorruptBlockException e) {
        Files.deleteIfExists(file);
      }
    }
    Files.createDirectories(dir);
    build(bucket, indexKey, file);
    return open(file);
  }

  /**
   * Writes the index-header of the remote index {@code indexKey} to {@code dest} (through a temporary file and an
   * atomic rename), reading only the first 5 bytes, the TOC, the symbol table and the postings offset table.
   *
   * @throws CorruptBlockException if the index's magic, version or TOC is wrong
   * @throws IOException if reading or writing fails
   */
  public static void build(Bucket bucket, String indexKey, Path dest) throws IOException {
    long size = bucket.attributes(indexKey).sizeBytes();
    String name = bucket.name() + ":" + indexKey;
    if (size < INDEX_HEADER_BYTES + Toc.BYTES) {
      throw new CorruptBlockException(name, 0, "index of " + size + " bytes is shorter than header and TOC");
    }
    ByteBuffer head = ByteBuffer.wrap(readRange(bucket, indexKey, 0, INDEX_HEADER_BYTES));
    if (head.getInt(0) != INDEX_MAGIC) {
      throw new CorruptBlockException(name, 0, String.format("bad index magic (expected %08x, actual %08x)",
          INDEX_MAGIC, head.getInt(0)));
    }
    int version = head.get(4) & 0xFF;
    if (version != 2 && version != 3) {
      throw new CorruptBlockException(name, 4, "unsupported index format version " + version + " (expected 2 or 3)");
    }
    Toc toc = decodeToc(ByteBuffer.wrap(readRange(bucket, indexKey, size - Toc.BYTES, Toc.BYTES)), 0, name,
        size - Toc.BYTES);
    long symbolsEnd = symbolsEnd(toc);
    if (toc.symbols() < INDEX_HEADER_BYTES || symbolsEnd < toc.symbols() || toc.postingsTable() < symbolsEnd
        || toc.postingsTable() > size - Toc.BYTES) {
      throw new CorruptBlockException(name, size - Toc.BYTES, "TOC offsets out of order: " + toc);
    }
    long symbolsLen = symbolsEnd - toc.symbols();
    Path tmp = dest.resolveSibling(dest.getFileName() + ".tmp");
    try (OutputStream out = Files.newOutputStream(tmp)) {
      ByteBuffer prefix = ByteBuffer.allocate(PREFIX_BYTES);
      prefix.putInt(MAGIC).put((byte) VERSION).put((byte) version).putLong(toc.postingsTable());
      out.write(prefix.array());
      copyRange(bucket, indexKey, toc.symbols(), symbolsLen, out, name);
      copyRange(bucket, indexKey, toc.postingsTable(), size - toc.postingsTable(), out, name);
      ByteBuffer tail = ByteBuffer.allocate(TOC_BYTES);
      tail.putLong(PREFIX_BYTES).putLong(PREFIX_BYTES + symbolsLen);
      tail.putInt(Crc32c.of(tail.array(), 0, 16));
      out.write(tail.array());
    }
    Files.move(tmp, dest, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * Opens an existing index-header file.
   *
   * @throws CorruptBlockException if it fails a check (magic, version, CRC, offsets)
   * @throws IOException if it cannot be read
   */
  public static IndexHeader open(Path path) throws IOException {
    MmapByteSource src = MmapByteSource.open(path);
    try {
      String name = src.name();
      long size = src.size();
      if (size < PREFIX_BYTES + TOC_BYTES + Toc.BYTES) {
        throw new CorruptBlockException(name, 0, "index-header of " + size + " bytes is too short");
      }
      ByteBuffer prefix = src.read(0, PREFIX_BYTES);
      if (prefix.getInt(0) != MAGIC) {
        throw new CorruptBlockException(name, 0, String.format("bad index-header magic (expected %08x, actual %08x)",
            MAGIC, prefix.getInt(0)));
      }
      if ((prefix.get(4) & 0xFF) != VERSION) {
        throw new CorruptBlockException(name, 4, "unsupported index-header version " + (prefix.get(4) & 0xFF));
      }
      int indexVersion = prefix.get(5) & 0xFF;
      long postingsTable = prefix.getLong(6);
      ByteBuffer tail = src.read(size - TOC_BYTES, TOC_BYTES);
      int want = tail.getInt(16);
      int got = Crc32c.of(tail, 0, 16);
      if (want != got) {
        throw new CorruptBlockException(name, size - TOC_BYTES, String.format(
            "index-header TOC CRC32C mismatch (expected %08x, actual %08x)", want, got));
      }
      long symbolsAt = tail.getLong(0);
      long postingsAt = tail.getLong(8);
      if (symbolsAt != PREFIX_BYTES || postingsAt < symbolsAt || postingsAt + Toc.BYTES > size - TOC_BYTES) {
        throw new CorruptBlockException(name, size - TOC_BYTES, "index-header offsets out of range: symbols "
            + symbolsAt + ", postings offset table " + postingsAt);
      }
      long tocAt = size - TOC_BYTES - Toc.BYTES;
      Toc toc = decodeToc(src.read(tocAt, Toc.BYTES), 0, name, tocAt);
      long indexSize = postingsTable + (size - TOC_BYTES - postingsAt);
      if (toc.postingsTable() != postingsTable || symbolsEnd(toc) - toc.symbols() != postingsAt - symbolsAt) {
        throw new CorruptBlockException(name, tocAt, "index-header copy of the TOC disagrees with its prefix");
      }
      return new IndexHeader(src, indexVersion, toc, indexSize, symbolsEnd(toc), postingsAt);
    } catch (IOException | RuntimeException e) {
      src.close();
      throw e;
    }
  }

  // The symbols copy ends where the next present section starts (series, or a later one in a block without series).
  private static long symbolsEnd(Toc toc) {
    for (long next : new long[] {toc.series(), toc.labelIndices(), toc.postings(), toc.labelIndicesTable(),
        toc.postingsTable()}) {
      if (next != 0) {
        return next;
      }
    }
    return toc.symbols();
  }

  static Toc decodeToc(ByteBuffer buf, int at, String resource, long fileOffset) throws CorruptBlockException {
    int want = buf.getInt(at + 48);
    int got = Crc32c.of(buf, at, 48);
    if (want != got) {
      throw new CorruptBlockException(resource, fileOffset, String.format(
          "TOC CRC32C mismatch (expected %08x, actual %08x)", want, got));
    }
    return new Toc(buf.getLong(at), buf.getLong(at + 8), buf.getLong(at + 16), buf.getLong(at + 24),
        buf.getLong(at + 32), buf.getLong(at + 40));
  }

  private static byte[] readRange(Bucket bucket, String key, long offset, int length) throws IOException {
    try (InputStream in = bucket.getRange(key, offset, length)) {
      byte[] b = in.readNBytes(length);
      if (b.length != length) {
        throw new CorruptBlockException(bucket.name() + ":" + key, offset, "short read: wanted " + length
            + " bytes, got " + b.length);
      }
      return b;
    }
  }

  private static void copyRange(Bucket bucket, String key, long offset, long length, OutputStream out, String name)
      throws IOException {
    try (InputStream in = bucket.getRange(key, offset, length)) {
      long copied = in.transferTo(out);
      if (copied != length) {
        throw new CorruptBlockException(name, offset, "short read: wanted " + length + " bytes, got " + copied);
      }
    }
  }

  /** Format version byte of the remote index (2 or 3). */
  public int indexVersion() {
    return indexVersion;
  }

  /** The remote index's table of contents. */
  public Toc toc() {
    return toc;
  }

  /** Size of the remote index in bytes. */
  public long indexSize() {
    return indexSize;
  }

  /** Size of this file in bytes: what the block costs on local disk and in the page cache. */
  public long sizeBytes() {
    return file.size();
  }

  /** End (exclusive) of the symbol table area of the remote index that this header holds. */
  long symbolsEnd() {
    return symbolsEnd;
  }

  /**
   * Serves remote-index bytes {@code [offset, offset + length)} from the header when they lie in the copied areas;
   * returns {@code null} otherwise.
   */
  ByteBuffer readIndexRange(long offset, int length) throws IOException {
    long end = offset + length;
    if (end <= INDEX_HEADER_BYTES && offset >= 0) {
      ByteBuffer b = ByteBuffer.allocate(INDEX_HEADER_BYTES).putInt(INDEX_MAGIC).put((byte) indexVersion);
      return b.slice((int) offset, length).asReadOnlyBuffer();
    }
    if (offset >= toc.symbols() && end <= symbolsEnd) {
      return file.read(PREFIX_BYTES + (offset - toc.symbols()), length);
    }
    if (offset >= toc.postingsTable() && end <= indexSize) {
      return file.read(postingsCopyAt + (offset - toc.postingsTable()), length);
    }
    return null;
  }

  /** The header file as a byte source (for tools). */
  ByteSource source() {
    return file;
  }

  @Override
  public void close() {
    file.close();
  }
}
