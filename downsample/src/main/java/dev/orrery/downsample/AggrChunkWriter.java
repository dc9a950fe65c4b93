package dev.orrery.downsample;

import dev.orrery.core.chunk.AggrChunkSlots;
import dev.orrery.core.chunk.Chunk;
import dev.orrery.core.chunk.XorAppender;
import dev.orrery.core.io.EncodeBuffer;
import java.nio.ByteBuffer;
import java.util.function.IntFunction;
import org.jspecify.annotations.Nullable;

/**
 * Writes Thanos' {@code AggrChunk} data (FORMATS.md 7.1), the bytes of a chunk record with encoding {@code 0xFF}: five
 * sub-chunk slots in the order count, sum, min, max, counter, each a uvarint length, then (when present) the
 * sub-chunk's encoding byte and its bytes; {@link AggrChunkSlots} reads them back. Stateless.
 */
public final class AggrChunkWriter {
  private AggrChunkWriter() {}

  /**
   * The {@code AggrChunk} bytes of {@code slots} (five, indexed as {@link AggrChunkSlots#COUNT} and the others;
   * {@code null} for an absent slot).
   *
   * @throws IllegalArgumentException if there are not five slots
   */
  public static byte[] encode(@Nullable Chunk[] slots) {
    return encode(slots.length, k -> slots[k]);
  }

  /** The {@code AggrChunk} bytes of the chunks the appenders hold ({@code null} for an absent slot). */
  public static byte[] encode(@Nullable XorAppender[] slots) {
    return encode(slots.length, k -> slots[k] == null ? null : slots[k].toChunk());
  }

  private static byte[] encode(int count, IntFunction<@Nullable Chunk> slots) {
    if (count != AggrChunkSlots.SLOTS) {
      throw new IllegalArgumentException("an AggrChunk has " + AggrChunkSlots.SLOTS + " slots, got " + count);
    }
    EncodeBuffer out = new EncodeBuffer(128);
    for (int k = 0; k < count; k++) {
      Chunk slot = slots.apply(k);
      if (slot == null) {
        out.putUvarint(0);
        continue;
      }
      ByteBuffer data = slot.bytes();
      byte[] bytes = new byte[data.remaining()];
      data.get(bytes);
      out.putUvarint(bytes.length).putByte(slot.encoding().code()).putBytes(bytes, 0, bytes.length);
    }
    return out.toByteArray();
  }
}
