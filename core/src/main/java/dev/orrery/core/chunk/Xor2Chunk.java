package dev.orrery.core.chunk;

import java.nio.ByteBuffer;

/**
 * An XOR2 float chunk (encoding 4, Prometheus 3.11+, FORMATS.md 2.4): a big-endian 16-bit sample count, a start
 * timestamp header byte ({@code firstSTKnown} in bit 7, {@code firstSTChangeOn} in bits 6-0), then a bit stream whose
 * samples from index 2 on start with a joint timestamp/value control prefix. Stale markers have their own codes and do
 * not replace the XOR baseline. Start timestamps are returned by {@link SampleIterator#atST()}.
 *
 * <p>Orrery reads XOR2 but does not write it: StoreAPI carries only encodings 1-3, so XOR2 chunks are re-encoded as XOR
 * before they are served. Immutable view of its bytes; thread-safe.
 */
public final class Xor2Chunk extends StoredChunk {
  /** Bytes before the bit stream: sample count and ST header. */
  public static final int HEADER_BYTES = 3;

  private final int numSamples;

  /** Wraps the bytes between {@code data}'s position and limit (not copied). */
  public Xor2Chunk(ByteBuffer data) {
    this(data, "chunk", -1);
  }

  /** Wraps the bytes between {@code data}'s position and limit; {@code resource} and {@code offset} name it in errors. */
  public Xor2Chunk(ByteBuffer data, String resource, long offset) {
    super(data, resource, offset, HEADER_BYTES);
    this.numSamples = be16(0);
  }

  @Override
  public ChunkEncoding encoding() {
    return ChunkEncoding.XOR2;
  }

  @Override
  public int numSamples() {
    return numSamples;
  }

  @Override
  public SampleIterator iterator(SampleIterator reuse) {
    Xor2Iterator it = reuse instanceof Xor2Iterator x ? x : new Xor2Iterator();
    it.reset(this, u8(2));
    return it;
  }
}
