package dev.orrery.core.chunk;

import java.nio.ByteBuffer;

/**
 * A Gorilla XOR float chunk (encoding 1, FORMATS.md 2.3): a big-endian 16-bit sample count followed by the bit stream.
 * Accepts the Prometheus 3.x form and the 2.x form with a spare trailing {@code 00} byte; the sample count, not the
 * length, ends the stream.
 *
 * <p>Immutable view of its bytes; thread-safe. Iterators decode with raw {@code long} bits, so stale NaN markers and
 * every other NaN payload come back bit for bit.
 */
public final class XorChunk extends StoredChunk {
  /** Bytes before the bit stream: the sample count. */
  public static final int HEADER_BYTES = 2;
  /** Most samples an XOR chunk can hold (the count is 16 bits). */
  public static final int MAX_SAMPLES = 0xFFFF;

  private final int numSamples;

  /** Wraps the bytes between {@code data}'s position and limit (not copied). */
  public XorChunk(ByteBuffer data) {
    this(data, "chunk", -1);
  }

  /** Wraps the bytes between {@code data}'s position and limit; {@code resource} and {@code offset} name it in errors. */
  public XorChunk(ByteBuffer data, String resource, long offset) {
    super(data, resource, offset, HEADER_BYTES);
    this.numSamples = be16(0);
  }

  /** Wraps {@code bytes} (not copied). */
  public static XorChunk of(byte[] bytes) {
    return new XorChunk(ByteBuffer.wrap(bytes));
  }

  @Override
  public ChunkEncoding encoding() {
    return ChunkEncoding.XOR;
  }

  @Override
  public int numSamples() {
    return numSamples;
  }

  @Override
  public SampleIterator iterator(SampleIterator reuse) {
    XorIterator it = reuse instanceof XorIterator x ? x : new XorIterator();
    it.reset(this);
    return it;
  }
}
