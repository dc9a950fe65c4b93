package dev.orrery.storeapi.proxy;

import dev.orrery.core.chunk.ClippedChunkSequence;
import dev.orrery.core.chunk.SampleIterator;

/**
 * The samples of non-overlapping chunks in time order, clipped to {@code [minTime, maxTime]} (one "virtual replica",
 * FORMATS.md 9.1 step 4). A chunk is decoded only when the iteration reaches it, reusing the decoder of the chunk
 * before. Confined to one thread.
 */
final class ChunkListIterator extends ClippedChunkSequence {
  /** One chunk's samples (raw, or derived from its aggregates), opened when the iteration reaches it. */
  @FunctionalInterface
  interface Part {
    /**
     * Opens the samples, positioned before the first.
     *
     * @param spare the iterator of an earlier part that is no longer used, to reuse if it fits; may be {@code null}
     */
    SampleIterator open(SampleIterator spare);
  }

  private final Part[] parts;
  private final long[] minTimes;
  private final long[] maxTimes;

  /** Iterates {@code parts}, whose chunks span {@code minTimes[i]..maxTimes[i]}, in that order. */
  ChunkListIterator(Part[] parts, long[] minTimes, long[] maxTimes, long minTime, long maxTime) {
    this.parts = parts;
    this.minTimes = minTimes;
    this.maxTimes = maxTimes;
    restart(minTime, maxTime);
  }

  @Override
  protected int chunkCount() {
    return parts.length;
  }

  @Override
  protected long chunkMinTime(int i) {
    return minTimes[i];
  }

  @Override
  protected long chunkMaxTime(int i) {
    return maxTimes[i];
  }

  @Override
  protected SampleIterator openChunk(int i, SampleIterator spare) {
    return parts[i].open(spare);
  }
}
