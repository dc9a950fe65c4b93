package dev.orrery.core.chunk;

import java.nio.ByteBuffer;

/**
 * A float native histogram chunk with start timestamps (encoding 6, Prometheus 3.14+, FORMATS.md 2.8): a big-endian
 * 16-bit word holding the counter-reset header (bits 15-14) and the sample count (bits 13-0), the ST header byte, then
 * the bit stream of {@link FloatHistogramChunk} with an optional start timestamp after each sample
 * ({@link SampleIterator#atST()}).
 *
 * <p>Immutable view of its bytes; thread-safe.
 */
public final class FloatHistogramStChunk extends NativeHistogramChunk {
  /** Bytes before the bit stream. */
  public static final int HEADER_BYTES = NativeHistogramChunk.HEADER_BYTES;
  /** Most samples the chunk can hold (the count has 14 bits). */
  public static final int MAX_SAMPLES = MAX_SAMPLES_WITH_START_TIMESTAMPS;

  /** Wraps the bytes between {@code data}'s position and limit (not copied). */
  public FloatHistogramStChunk(ByteBuffer data) {
    this(data, "chunk", -1);
  }

  /** Wraps the bytes between {@code data}'s position and limit; {@code resource} and {@code offset} name it in errors. */
  public FloatHistogramStChunk(ByteBuffer data, String resource, long offset) {
    super(data, resource, offset, true);
  }

  @Override
  public ChunkEncoding encoding() {
    return ChunkEncoding.FLOAT_HISTOGRAM_ST;
  }

  @Override
  public SampleIterator iterator(SampleIterator reuse) {
    return start(reuse instanceof FloatHistogramIterator h ? h : new FloatHistogramIterator());
  }
}
