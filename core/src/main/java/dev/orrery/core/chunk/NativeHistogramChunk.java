package dev.orrery.core.chunk;

import dev.orrery.core.histogram.CounterResetHint;
import java.nio.ByteBuffer;

/**
 * The header the four native histogram chunk encodings share (FORMATS.md 2.6 to 2.8), three bytes before the bit
 * stream: without start timestamps a big-endian 16-bit sample count and a flags byte whose top two bits are the
 * counter-reset header; with them a 16-bit word of the counter-reset header (bits 15-14) and the sample count (bits
 * 13-0), then the start-timestamp header byte.
 *
 * <p>Immutable view of its bytes; thread-safe.
 */
abstract sealed class NativeHistogramChunk extends StoredChunk
    permits HistogramChunk, FloatHistogramChunk, HistogramStChunk, FloatHistogramStChunk {
  /** Bytes before the bit stream. */
  static final int HEADER_BYTES = 3;
  /** Most samples a chunk with start timestamps can hold (the count has 14 bits). */
  static final int MAX_SAMPLES_WITH_START_TIMESTAMPS = 0x3FFF;

  private final boolean startTimestamps;
  private final int numSamples;
  private final CounterResetHint header;

  NativeHistogramChunk(ByteBuffer data, String resource, long offset, boolean startTimestamps) {
    super(data, resource, offset, HEADER_BYTES);
    this.startTimestamps = startTimestamps;
    if (startTimestamps) {
      this.numSamples = be16(0) & MAX_SAMPLES_WITH_START_TIMESTAMPS;
      this.header = CounterResetHeader.decode(u8(0));
    } else {
      this.numSamples = be16(0);
      this.header = CounterResetHeader.decode(u8(2));
    }
  }

  @Override
  public final int numSamples() {
    return numSamples;
  }

  /** What the chunk header says about a counter reset before the chunk, or that it holds gauge histograms. */
  public final CounterResetHint counterResetHeader() {
    return header;
  }

  /** Positions {@code it} at the start of this chunk's samples. */
  final SampleIterator start(HistogramChunkIterator it) {
    it.reset(this, HEADER_BYTES, numSamples, header, startTimestamps, startTimestamps ? u8(2) : 0);
    return it;
  }
}
