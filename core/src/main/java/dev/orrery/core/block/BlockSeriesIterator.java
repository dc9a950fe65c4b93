package dev.orrery.core.block;

import dev.orrery.core.chunk.ChunkSegmentReader;
import dev.orrery.core.chunk.ClippedChunkSequence;
import dev.orrery.core.chunk.SampleIterator;
import dev.orrery.core.index.ChunkMetas;
import dev.orrery.core.index.Intervals;

/**
 * Iterates one series' samples across its chunks in a block, decoding each chunk only when reached, restricted to
 * {@code [mint, maxt]} and without samples deleted by tombstones. Re-usable through {@link #reset}. Confined to one
 * thread.
 */
final class BlockSeriesIterator extends ClippedChunkSequence {
  private ChunkSegmentReader reader;
  private ChunkMetas chunks;
  private Intervals deleted;

  BlockSeriesIterator(ChunkSegmentReader reader, ChunkMetas chunks, long mint, long maxt, Intervals deleted) {
    reset(reader, chunks, mint, maxt, deleted);
  }

  void reset(ChunkSegmentReader reader, ChunkMetas chunks, long mint, long maxt, Intervals deleted) {
    this.reader = reader;
    this.chunks = chunks;
    this.deleted = deleted;
    restart(mint, maxt);
  }

  @Override
  protected int chunkCount() {
    return chunks.size();
  }

  @Override
  protected long chunkMinTime(int i) {
    return chunks.minTime(i);
  }

  @Override
  protected long chunkMaxTime(int i) {
    return chunks.maxTime(i);
  }

  @Override
  protected SampleIterator openChunk(int i, SampleIterator spare) {
    return reader.chunk(chunks.ref(i)).iterator(spare);
  }

  @Override
  protected boolean isDeleted(long t) {
    return deleted.contains(t);
  }

  @Override
  protected boolean hasDeletions() {
    return !deleted.isEmpty();
  }
}
