package dev.orrery.storeapi.proxy;

import dev.orrery.core.chunk.Chunk;
import dev.orrery.core.chunk.ChunkSequenceIterator;
import dev.orrery.core.chunk.SampleIterator;
import dev.orrery.core.chunk.ValueType;
import dev.orrery.core.histogram.FloatHistogram;
import dev.orrery.core.histogram.Histogram;

/**
 * The samples of non-overlapping chunks in time order, clipped to {@code [minTime, maxTime]} (one "virtual replica",
 * FORMATS.md 9.1 step 4). Confined to one thread.
 */
final class ChunkListIterator extends ChunkSequenceIterator {
  private final SampleIterator[] parts;
  private final long[] chunkMaxTimes;
  private final long minTime;
  private final long maxTime;
  private int next;
  private ValueType type = ValueType.NONE;
  private boolean done;

  /** Iterates {@code parts} (each a chunk's or a derived iterator) whose chunks end at {@code chunkMaxTimes}. */
  ChunkListIterator(SampleIterator[] parts, long[] chunkMaxTimes, long minTime, long maxTime) {
    this.parts = parts;
    this.chunkMaxTimes = chunkMaxTimes;
    this.minTime = minTime;
    this.maxTime = maxTime;
  }

  static SampleIterator ofChunks(Chunk[] chunks, long[] chunkMaxTimes, long minTime, long maxTime) {
    SampleIterator[] its = new SampleIterator[chunks.length];
    for (int i = 0; i < chunks.length; i++) {
      its[i] = new LazyChunkIterator(chunks[i]);
    }
    return new ChunkListIterator(its, chunkMaxTimes, minTime, maxTime);
  }

  @Override
  public ValueType next() {
    if (done) {
      return ValueType.NONE;
    }
    while (true) {
      if (current == null) {
        while (next < parts.length && chunkMaxTimes[next] < minTime) {
          next++;
        }
        if (next >= parts.length) {
          return finish();
        }
        current = parts[next++];
        type = current.seek(minTime);
      } else {
        type = current.next();
      }
      if (type == ValueType.NONE) {
        current = null;
        continue;
      }
      if (current.atT() > maxTime) {
        return finish();
      }
      return type;
    }
  }

  @Override
  public ValueType seek(long t) {
    if (done) {
      return ValueType.NONE;
    }
    if (current != null && type != ValueType.NONE && current.atT() >= t) {
      return type;
    }
    long target = Math.max(t, minTime);
    if (current != null) {
      type = current.seek(target);
      if (type != ValueType.NONE) {
        return current.atT() > maxTime ? finish() : type;
      }
      current = null;
    }
    while (next < parts.length && chunkMaxTimes[next] < target) {
      next++;
    }
    while (next < parts.length) {
      current = parts[next++];
      type = current.seek(target);
      if (type != ValueType.NONE) {
        return current.atT() > maxTime ? finish() : type;
      }
    }
    return finish();
  }

  private ValueType finish() {
    done = true;
    current = null;
    type = ValueType.NONE;
    return ValueType.NONE;
  }

  /** A chunk's iterator, created on first use. */
  private static final class LazyChunkIterator implements SampleIterator {
    private final Chunk chunk;
    private SampleIterator it;

    LazyChunkIterator(Chunk chunk) {
      this.chunk = chunk;
    }

    private SampleIterator it() {
      if (it == null) {
        it = chunk.iterator(null);
      }
      return it;
    }

    @Override
    public ValueType next() {
      return it().next();
    }

    @Override
    public ValueType seek(long t) {
      return it().seek(t);
    }

    @Override
    public long atT() {
      return it.atT();
    }

    @Override
    public double atV() {
      return it.atV();
    }

    @Override
    public Histogram atHistogram() {
      return it.atHistogram();
    }

    @Override
    public FloatHistogram atFloatHistogram() {
      return it.atFloatHistogram();
    }

    @Override
    public long atST() {
      return it.atST();
    }
  }
}
