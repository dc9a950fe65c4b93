package dev.orrery.core.block;

import dev.orrery.core.chunk.ChunkSegmentReader;
import dev.orrery.core.chunk.FloatSamples;
import dev.orrery.core.chunk.ChunkSequenceIterator;
import dev.orrery.core.chunk.SampleIterator;
import dev.orrery.core.chunk.ValueType;
import dev.orrery.core.histogram.FloatHistogram;
import dev.orrery.core.histogram.Histogram;
import dev.orrery.core.index.ChunkMetas;
import dev.orrery.core.index.Intervals;

/**
 * Iterates one series' samples across its chunks in a block, decoding each chunk only when reached, restricted to
 * {@code [mint, maxt]} and without samples deleted by tombstones. Re-usable through {@link #reset}. Confined to one
 * thread.
 */
final class BlockSeriesIterator extends ChunkSequenceIterator {
  private ChunkSegmentReader reader;
  private ChunkMetas chunks;
  private long mint;
  private long maxt;
  private Intervals deleted;
  private int chunkIndex;
  private SampleIterator spare;
  private ValueType curType;
  private boolean exhausted;

  BlockSeriesIterator(ChunkSegmentReader reader, ChunkMetas chunks, long mint, long maxt, Intervals deleted) {
    reset(reader, chunks, mint, maxt, deleted);
  }

  void reset(ChunkSegmentReader reader, ChunkMetas chunks, long mint, long maxt, Intervals deleted) {
    this.reader = reader;
    this.chunks = chunks;
    this.mint = mint;
    this.maxt = maxt;
    this.deleted = deleted;
    this.chunkIndex = -1;
    if (current != null) {
      spare = current;
    }
    this.current = null;
    this.curType = ValueType.NONE;
    this.exhausted = false;
  }

  private boolean openNextChunk() {
    chunkIndex++;
    if (chunkIndex >= chunks.size() || chunks.minTime(chunkIndex) > maxt) {
      return false;
    }
    current = reader.chunk(chunks.ref(chunkIndex)).iterator(spare);
    spare = null;
    return true;
  }

  private void dropChunk() {
    spare = current;
    current = null;
  }

  @Override
  public ValueType next() {
    if (exhausted) {
      return ValueType.NONE;
    }
    while (true) {
      ValueType vt;
      if (current == null) {
        if (!openNextChunk()) {
          return done();
        }
        // Only the first chunks can start before mint; seek skips their early samples.
        vt = chunks.minTime(chunkIndex) < mint ? current.seek(mint) : current.next();
      } else {
        vt = current.next();
      }
      if (vt == ValueType.NONE) {
        dropChunk();
        continue;
      }
      long t = current.atT();
      if (t > maxt) {
        return done();
      }
      if (!deleted.contains(t)) {
        curType = vt;
        return vt;
      }
    }
  }

  @Override
  public ValueType appendFloats(FloatSamples out, long maxT) {
    if (exhausted || current == null || !deleted.isEmpty()) {
      return super.appendFloats(out, maxT);
    }
    long limit = Math.min(maxT, this.maxt);
    while (true) {
      ValueType vt = current.appendFloats(out, limit);
      if (vt == ValueType.NONE) {
        // The chunk is used up: the next one opens through next(), which also applies mint.
        dropChunk();
        vt = next();
        if (vt != ValueType.FLOAT || current.atT() > maxT) {
          return vt;
        }
        out.add(current.atT(), current.atV());
        continue;
      }
      if (current.atT() > this.maxt) {
        return done();
      }
      curType = vt;
      return vt;
    }
  }

  @Override
  public ValueType seek(long t) {
    if (exhausted) {
      return ValueType.NONE;
    }
    if (curType != ValueType.NONE && current != null && current.atT() >= t) {
      return curType;
    }
    long target = Math.max(t, mint);
    if (current != null && chunks.maxTime(chunkIndex) < target) {
      dropChunk();
    }
    if (current == null) {
      // Skip whole chunks that end before the target without decoding them.
      while (chunkIndex + 1 < chunks.size() && chunks.maxTime(chunkIndex + 1) < target) {
        chunkIndex++;
      }
      if (!openNextChunk()) {
        return done();
      }
    }
    ValueType vt = current.seek(target);
    if (vt == ValueType.NONE) {
      dropChunk();
      return next();
    }
    long ts = current.atT();
    if (ts > maxt) {
      return done();
    }
    if (deleted.contains(ts)) {
      return next();
    }
    curType = vt;
    return vt;
  }

  private ValueType done() {
    exhausted = true;
    curType = ValueType.NONE;
    return ValueType.NONE;
  }
}
