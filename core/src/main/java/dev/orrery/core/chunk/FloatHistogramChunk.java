package dev.orrery.core.chunk;

import dev.orrery.core.histogram.CounterResetHint;
import java.nio.ByteBuffer;

/**
 * A float native histogram chunk (encoding 3, FORMATS.md 2.7): a big-endian 16-bit sample count, a flags byte whose
 * top two bits are the counter-reset header, then the bit stream: the bucket layout, then the samples. Iterators
 * return {@link ValueType#FLOAT_HISTOGRAM} samples.
 *
 * <p>Immutable view of its bytes; thread-safe.
 */
public final class FloatHistogramChunk extends StoredChunk {
  /** Bytes before the bit stream: sample count and flags. */
  public static final int HEADER_BYTES = 3;
  /** Most samples the chunk can hold. */
  public static final int MAX_SAMPLES = 0xFFFF;

  private final int numSamples;
  private final CounterResetHint header;

  /** Wraps the bytes between {@code data}'s position and limit (not copied). */
  public FloatHistogramChunk(ByteBuffer data) {
    this(data, "chunk", -1);
  }

  /** Wraps the bytes between {@code data}'s position and limit; {@code resource} and {@code offset} name it in errors. */
  public FloatHistogramChunk(ByteBuffer data, String resource, long offset) {
    super(data, resource, offset, HEADER_BYTES);
    this.numSamples = be16(0);
    this.header = CounterResetHeader.decode(u8(2));
  }

  @Override
  public ChunkEncoding encoding() {
    return ChunkEncoding.FLOAT_HISTOGRAM;
  }

  @Override
  public int numSamples() {
    return numSamples;
  }

  /** What the chunk header says about a counter reset before the chunk, or that it holds gauge histograms. */
  public CounterResetHint counterResetHeader() {
    return header;
  }

  @Override
  public SampleIterator iterator(SampleIterator reuse) {
    FloatHistogramIterator it = reuse instanceof FloatHistogramIterator h ? h : new FloatHistogramIterator();
    it.reset(this, HEADER_BYTES, numSamples, header, false, 0);
    return it;
  }
}
