package dev.orrery.core.chunk;

import java.nio.ByteBuffer;

/**
 * An integer native histogram chunk (encoding 2, FORMATS.md 2.6): a big-endian 16-bit sample count, a flags byte whose
 * top two bits are the counter-reset header, then the bit stream: the bucket layout, then the samples. Iterators
 * return {@link ValueType#HISTOGRAM} samples.
 *
 * <p>Immutable view of its bytes; thread-safe.
 */
public final class HistogramChunk extends NativeHistogramChunk {
  /** Bytes before the bit stream. */
  public static final int HEADER_BYTES = NativeHistogramChunk.HEADER_BYTES;
  /** Most samples the chunk can hold. */
  public static final int MAX_SAMPLES = 0xFFFF;

  /** Wraps the bytes between {@code data}'s position and limit (not copied). */
  public HistogramChunk(ByteBuffer data) {
    this(data, "chunk", -1);
  }

  /** Wraps the bytes between {@code data}'s position and limit; {@code resource} and {@code offset} name it in errors. */
  public HistogramChunk(ByteBuffer data, String resource, long offset) {
    super(data, resource, offset, false);
  }

  @Override
  public ChunkEncoding encoding() {
    return ChunkEncoding.HISTOGRAM;
  }

  @Override
  public SampleIterator iterator(SampleIterator reuse) {
    return start(reuse instanceof HistogramIterator h ? h : new HistogramIterator());
  }
}
