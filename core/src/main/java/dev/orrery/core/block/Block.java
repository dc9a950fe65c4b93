package dev.orrery.core.block;

import dev.orrery.core.chunk.ChunkSegmentReader;
import dev.orrery.core.chunk.SampleIterator;
import dev.orrery.core.index.ChunkMetas;
import dev.orrery.core.index.IndexReader;
import dev.orrery.core.index.Tombstones;
import dev.orrery.core.io.ByteSource;
import dev.orrery.core.io.MmapByteSource;
import dev.orrery.core.storage.Querier;
import dev.orrery.core.storage.Queryable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * An open, immutable TSDB block: its meta, index, chunk segments and tombstones, read through memory mappings (or any
 * {@link ByteSource}s). A {@link Queryable} over the block's data; queriers see tombstoned samples as deleted.
 *
 * <p>Thread-safe: queriers may be opened and used concurrently. {@link #close()} releases the mappings; queriers and
 * the views they returned must not be used afterwards.
 */
public final class Block implements Queryable, AutoCloseable {
  private final Path dir;
  private final BlockMeta meta;
  private final IndexReader index;
  private final ChunkSegmentReader chunks;
  private final Tombstones tombstones;
  private final ByteSource indexSource;

  private Block(Path dir, BlockMeta meta, ByteSource indexSource, IndexReader index, ChunkSegmentReader chunks,
      Tombstones tombstones) {
    this.dir = dir;
    this.indexSource = indexSource;
    this.meta = meta;
    this.index = index;
    this.chunks = chunks;
    this.tombstones = tombstones;
  }

  /**
   * Opens the block in {@code dir}, checking meta.json, the index header, TOC and section CRCs, and the chunk segment
   * headers. Corruption found later while reading surfaces as {@link dev.orrery.core.io.CorruptDataException}.
   *
   * @throws dev.orrery.core.io.CorruptBlockException naming the file and offset or field of a problem
   */
  public static Block open(Path dir) throws IOException {
    BlockMeta meta = BlockMeta.read(dir);
    String name = meta.ulid().toString();
    ByteSource indexSource = MmapByteSource.open(dir.resolve("index"), name + "/index");
    IndexReader index = null;
    ChunkSegmentReader chunks = null;
    try {
      index = IndexReader.open(indexSource);
      chunks = ChunkSegmentReader.open(dir.resolve("chunks"), name + "/chunks");
      Tombstones tombstones = Tombstones.read(dir.resolve(Tombstones.FILE_NAME));
      return new Block(dir, meta, indexSource, index, chunks, tombstones);
    } catch (IOException | RuntimeException e) {
      closeQuietly(e, chunks, index, indexSource);
      throw e;
    }
  }

  /**
   * A block whose files come from any random-access sources, for example byte ranges of objects in a bucket. The
   * block does not take ownership of the sources: the caller closes them after the block.
   *
   * @param dir a directory name for messages and {@link #dir()}; nothing is read from it
   * @throws dev.orrery.core.io.CorruptBlockException if the index or a segment header fails a check
   */
  public static Block open(Path dir, BlockMeta meta, ByteSource index, List<? extends ByteSource> segments,
      Tombstones tombstones) throws IOException {
    IndexReader reader = IndexReader.open(index);
    try {
      return new Block(dir, meta, null, reader, ChunkSegmentReader.open(segments), tombstones);
    } catch (IOException | RuntimeException e) {
      closeQuietly(e, reader);
      throw e;
    }
  }

  private static void closeQuietly(Throwable primary, AutoCloseable... resources) {
    for (AutoCloseable r : resources) {
      if (r != null) {
        try {
          r.close();
        } catch (Exception suppressed) {
          primary.addSuppressed(suppressed);
        }
      }
    }
  }

  /** The block directory. */
  public Path dir() {
    return dir;
  }

  /** The parsed meta.json. */
  public BlockMeta meta() {
    return meta;
  }

  /** The index reader (valid until close). */
  public IndexReader index() {
    return index;
  }

  /** The chunk segment reader (valid until close). */
  public ChunkSegmentReader chunks() {
    return chunks;
  }

  /** The block's tombstones (deleted time ranges per series). */
  public Tombstones tombstones() {
    return tombstones;
  }

  /**
   * The samples of the series at {@code seriesRef}, whose chunk metas the caller read from {@link #index()} into
   * {@code chunkMetas} (kept, not copied, by the iterator), without the samples its tombstones delete. For whole-series
   * scans such as compaction; queries go through {@link #querier}.
   */
  public SampleIterator samples(long seriesRef, ChunkMetas chunkMetas) {
    return new BlockSeriesIterator(chunks, chunkMetas, Long.MIN_VALUE, Long.MAX_VALUE, tombstones.get(seriesRef));
  }

  /** A querier over {@code [minTimeMillis, maxTimeMillis]} of this block. Closing it does not close the block. */
  @Override
  public Querier querier(long minTimeMillis, long maxTimeMillis) {
    return new BlockQuerier(this, minTimeMillis, maxTimeMillis);
  }

  @Override
  public void close() throws IOException {
    IOException first = null;
    for (AutoCloseable c : new AutoCloseable[] {chunks, index, indexSource}) {
      if (c == null) {
        continue;
      }
      try {
        c.close();
      } catch (Exception e) {
        if (first == null) {
          first = e instanceof IOException io ? io : new IOException(e);
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /** Closes every block; the first failure is thrown with the later ones suppressed. */
  public static void closeAll(Iterable<Block> blocks) throws IOException {
    IOException first = null;
    for (Block b : blocks) {
      try {
        b.close();
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

  @Override
  public String toString() {
    return "Block[" + meta.ulid() + "]";
  }
}
