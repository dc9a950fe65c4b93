package dev.orrery.downsample;

import dev.orrery.core.chunk.Chunk;
import dev.orrery.core.io.EncodeBuffer;
import java.nio.ByteBuffer;
import org.jspecify.annotations.Nullable;

/**
 * Writes Thanos' {@code AggrChunk} data (FORMATS.md 7.1), the bytes of a chunk record with encoding {@code 0xFF}: five
 * sub-chunk slots in the order count, sum, min, max, counter, each a uvarint length, then (when present) the
 * sub-chunk's encoding byte and its bytes. Stateless.
 */
public final class AggrChunkWriter {
  /** Slots of an {@code AggrChunk}, in their order. */
  public static final int SLOTS = 5;
  /** Slot of the number of raw samples per window. */
  public static final int COUNT = 0;
  /** Slot of the sum of the raw values per window. */
  public static final int SUM = 1;
  /** Slot of the smallest raw value per window. */
  public static final int MIN = 2;
  /** Slot of the largest raw value per window. */
  public static final int MAX = 3;
  /** Slot of the counter: raw first value, reset-adjusted running total per window, raw last value. */
  public static final int COUNTER = 4;

  private AggrChunkWriter() {}

  /**
   * The {@code AggrChunk} bytes of {@code slots} (length {@value #SLOTS}, in slot order; {@code null} for an absent
   * slot).
   *
   * @throws IllegalArgumentException if there are not five slots
   */
  public static byte[] encode(@Nullable Chunk[] slots) {
    if (slots.length != SLOTS) {
      throw new IllegalArgumentException("an AggrChunk has " + SLOTS + " slots, got " + slots.length);
    }
    EncodeBuffer out = new EncodeBuffer(128);
    for (Chunk slot : slots) {
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
