package dev.orrery.core.chunk;

import static java.util.Objects.requireNonNull;

import dev.orrery.core.OrreryException;
import java.nio.ByteBuffer;

/**
 * One encoded chunk of samples of one series (Prometheus' {@code chunkenc.Chunk}): the bytes stored in a segment file
 * record after the encoding byte, and a way to iterate them.
 *
 * <p>Implementations are immutable views of their bytes and may be shared between threads; iterators are not. A chunk
 * read from a segment file is valid only while its {@link ChunkSegmentReader} is open. Corruption that only shows while
 * decoding (a truncated bit stream) is thrown by the iterator as {@link CorruptChunkException}.
 */
public interface Chunk {
  /** The encoding of {@link #bytes()}. */
  ChunkEncoding encoding();

  /**
   * The chunk data exactly as stored (for XOR: the 2-byte sample count and the bit stream): a read-only buffer with
   * position 0 and limit equal to the length. Each call returns a new view of the same bytes.
   */
  ByteBuffer bytes();

  /** Number of samples, from the chunk header. */
  int numSamples();

  /**
   * An iterator over the samples. Returns {@code reuse} re-pointed at this chunk when it is an iterator of the right
   * class (so that a scan over many chunks does not allocate), otherwise a new iterator; {@code reuse} may be
   * {@code null}.
   */
  SampleIterator iterator(SampleIterator reuse);

  /** Same as {@link #of(ChunkEncoding, ByteBuffer, String, long)} with no resource name or offset for errors. */
  static Chunk of(ChunkEncoding encoding, ByteBuffer data) {
    return of(encoding, data, "chunk", -1);
  }

  /**
   * Wraps the chunk bytes between {@code data}'s position and limit (not copied; the caller keeps them unchanged) in
   * the decoder for {@code encoding}. Headers are checked here, the bit stream while iterating.
   *
   * @param resource named in errors, e.g. the segment file path
   * @param offset file offset of the first data byte, named in errors; {@code -1} if unknown
   * @throws CorruptChunkException if the data is shorter than the encoding's header
   * @throws OrreryException with {@link OrreryException.ErrorCode#UNSUPPORTED} for encodings this package does not
   *     decode ({@link ChunkEncoding#AGGR}, a Thanos downsampled chunk, holds five sub-chunks that the store gateway
   *     splits and serves per aggregate)
   */
  static Chunk of(ChunkEncoding encoding, ByteBuffer data, String resource, long offset) {
    requireNonNull(encoding, "encoding is null");
    requireNonNull(data, "data is null");
    requireNonNull(resource, "resource is null");
    return switch (encoding) {
      case XOR -> new XorChunk(data, resource, offset);
      case HISTOGRAM -> new HistogramChunk(data, resource, offset);
      case FLOAT_HISTOGRAM -> new FloatHistogramChunk(data, resource, offset);
      case XOR2 -> new Xor2Chunk(data, resource, offset);
      case HISTOGRAM_ST -> new HistogramStChunk(data, resource, offset);
      case FLOAT_HISTOGRAM_ST -> new FloatHistogramStChunk(data, resource, offset);
      case AGGR -> throw new OrreryException(OrreryException.ErrorCode.UNSUPPORTED,
          "chunk encoding AGGR (255, Thanos downsampled aggregate) cannot be decoded by Chunk.of in " + resource
              + (offset >= 0 ? " at offset " + offset : "")
              + "; it holds count, sum, min, max and counter sub-chunks, each a chunk of its own");
    };
  }

  /**
   * Same as {@link #of(ChunkEncoding, ByteBuffer, String, long)} for an encoding byte as stored in files.
   *
   * @throws CorruptChunkException if {@code encodingByte} names no known encoding
   */
  static Chunk of(int encodingByte, ByteBuffer data, String resource, long offset) {
    ChunkEncoding encoding = ChunkEncoding.fromCode(encodingByte);
    if (encoding == null) {
      throw new CorruptChunkException(resource, offset, "unknown chunk encoding",
          "byte " + encodingByte + " (0x" + Integer.toHexString(encodingByte) + ")");
    }
    return of(encoding, data, resource, offset);
  }
}
