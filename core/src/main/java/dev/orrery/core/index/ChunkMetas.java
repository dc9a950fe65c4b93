package dev.orrery.core.index;

import java.util.Arrays;

/**
 * The chunk references of one series as parallel primitive arrays ({@code minTime}, {@code maxTime}, {@code ref}),
 * filled by {@link IndexReader#series} and consumed by {@link IndexWriter#addSeries}: no object per chunk on the hot
 * path. The caller owns it and reuses it across series; {@link #clear()} keeps the capacity (Prometheus passes a
 * {@code []chunks.Meta} slice the same way).
 *
 * <p>Times are inclusive milliseconds; a ref is {@code segmentIndex << 32 | offsetInFile} ({@code FORMATS.md} 3.3).
 * Confined to one thread.
 */
public final class ChunkMetas {
  private long[] minTime;
  private long[] maxTime;
  private long[] ref;
  private int size;

  /** An empty container with room for a few chunks. */
  public ChunkMetas() {
    this(4);
  }

  /** An empty container with room for {@code capacity} chunks. */
  public ChunkMetas(int capacity) {
    if (capacity < 0) {
      throw new IllegalArgumentException("capacity must be >= 0, got " + capacity);
    }
    int c = Math.max(capacity, 1);
    minTime = new long[c];
    maxTime = new long[c];
    ref = new long[c];
  }

  /** Number of chunks. */
  public int size() {
    return size;
  }

  /** True when there are no chunks. */
  public boolean isEmpty() {
    return size == 0;
  }

  /** Minimum time of chunk {@code i}. */
  public long minTime(int i) {
    checkIndex(i);
    return minTime[i];
  }

  /** Maximum time of chunk {@code i}, inclusive. */
  public long maxTime(int i) {
    checkIndex(i);
    return maxTime[i];
  }

  /** Reference of chunk {@code i} in the block's chunk segments. */
  public long ref(int i) {
    checkIndex(i);
    return ref[i];
  }

  /** Appends a chunk; no ordering is enforced here (the index writer checks it). */
  public ChunkMetas add(long minTimeMillis, long maxTimeMillis, long chunkRef) {
    if (size == ref.length) {
      int c = size * 2;
      minTime = Arrays.copyOf(minTime, c);
      maxTime = Arrays.copyOf(maxTime, c);
      ref = Arrays.copyOf(ref, c);
    }
    minTime[size] = minTimeMillis;
    maxTime[size] = maxTimeMillis;
    ref[size] = chunkRef;
    size++;
    return this;
  }

  /** Replaces chunk {@code i}. */
  public void set(int i, long minTimeMillis, long maxTimeMillis, long chunkRef) {
    checkIndex(i);
    minTime[i] = minTimeMillis;
    maxTime[i] = maxTimeMillis;
    ref[i] = chunkRef;
  }

  /** Forgets every chunk, keeping the capacity. */
  public ChunkMetas clear() {
    size = 0;
    return this;
  }

  /** Replaces the content with a copy of {@code other}'s. */
  public ChunkMetas copyFrom(ChunkMetas other) {
    clear();
    for (int i = 0; i < other.size; i++) {
      add(other.minTime[i], other.maxTime[i], other.ref[i]);
    }
    return this;
  }

  private void checkIndex(int i) {
    if (i < 0 || i >= size) {
      throw new IndexOutOfBoundsException("chunk " + i + " of " + size);
    }
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ChunkMetas other) || other.size != size) {
      return false;
    }
    return Arrays.equals(minTime, 0, size, other.minTime, 0, size)
        && Arrays.equals(maxTime, 0, size, other.maxTime, 0, size)
        && Arrays.equals(ref, 0, size, other.ref, 0, size);
  }

  @Override
  public int hashCode() {
    int h = size;
    for (int i = 0; i < size; i++) {
      h = 31 * h + Long.hashCode(minTime[i]);
      h = 31 * h + Long.hashCode(maxTime[i]);
      h = 31 * h + Long.hashCode(ref[i]);
    }
    return h;
  }

  /** E.g. {@code [{1000..1999 @8}, {2000..2999 @133}]}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < size; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append('{').append(minTime[i]).append("..").append(maxTime[i]).append(" @").append(ref[i]).append('}');
    }
    return sb.append(']').toString();
  }
}
