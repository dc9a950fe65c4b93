package dev.orrery.core.chunk;

import java.nio.ByteBuffer;

/** The bytes of a chunk plus where they came from; the base of the decoders in this package. Immutable. */
abstract sealed class StoredChunk implements Chunk
    permits XorChunk, Xor2Chunk, NativeHistogramChunk {
  final ByteBuffer data;
  final String resource;
  final long offset;

  StoredChunk(ByteBuffer data, String resource, long offset, int headerBytes) {
    this.data = data.slice().asReadOnlyBuffer();
    this.resource = resource;
    this.offset = offset;
    if (this.data.remaining() < headerBytes) {
      throw new CorruptChunkException(resource, offset, encoding().name() + " chunk shorter than its header",
          this.data.remaining() + " bytes, header needs " + headerBytes);
    }
    if (this.data.remaining() > BitReader.MAX_BYTES) {
      throw new CorruptChunkException(resource, offset, encoding().name() + " chunk too large",
          this.data.remaining() + " bytes");
    }
  }

  @Override
  public ByteBuffer bytes() {
    return data.duplicate();
  }

  /** Length of the chunk data in bytes. */
  public int byteLength() {
    return data.limit();
  }

  final int u8(int index) {
    return data.get(index) & 0xFF;
  }

  final int be16(int index) {
    return (u8(index) << 8) | u8(index + 1);
  }

  /** File offset of data byte {@code index}, or {@code -1} when the chunk's offset is unknown. */
  final long fileOffset(int index) {
    return offset < 0 ? -1 : offset + index;
  }

  /** Positions {@code reader} at the bit stream that follows {@code headerBytes}. */
  final void resetReader(BitReader reader, int headerBytes) {
    reader.reset(data, headerBytes, data.limit() - headerBytes, resource, fileOffset(headerBytes));
  }

  @Override
  public String toString() {
    return encoding() + "[" + numSamples() + " samples, " + data.limit() + " bytes]";
  }
}
