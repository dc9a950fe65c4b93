package dev.orrery.core.chunk;

import java.nio.ByteBuffer;

/**
 * Reads the sub-chunk slots of a Thanos downsampled chunk (encoding 0xFF, FORMATS.md 7.1): five slots count, sum,
 * min, max, counter, each {@code uvarint L} then, when {@code L > 0}, an encoding byte and {@code L} data bytes. An
 * absent trailing slot may be a lone {@code 0x00} or missing bytes. Stateless.
 */
public final class AggrChunkSlots {
  /** Slots of an aggregate chunk. */
  public static final int SLOTS = 5;
  /** Slot of the number of raw samples per window. */
  public static final int COUNT = 0;
  /** Slot of the sum of the raw values per window. */
  public static final int SUM = 1;
  /** Slot of the smallest raw value per window. */
  public static final int MIN = 2;
  /** Slot of the largest raw value per window. */
  public static final int MAX = 3;
  /** Slot of the counter: the raw first value, the reset-adjusted running total per window, the raw last value. */
  public static final int COUNTER = 4;

  private AggrChunkSlots() {}

  /**
   * Splits {@code data} (from index 0 to its limit) into its slots: {@code out[k]} is slot {@code k}'s data (or
   * {@code null} when absent) and {@code enc[k]} its encoding byte; both arrays hold {@value #SLOTS}.
   *
   * @throws CorruptChunkException naming {@code resource} when a slot runs past the data
   */
  public static void split(ByteBuffer data, ByteBuffer[] out, int[] enc, String resource) {
    int p = 0;
    int limit = data.limit();
    for (int k = 0; k < SLOTS; k++) {
      out[k] = null;
      enc[k] = 0;
      if (p >= limit) {
        continue;
      }
      long len = 0;
      int shift = 0;
      while (true) {
        if (p >= limit) {
          throw new CorruptChunkException(resource, -1, "truncated aggregate chunk", "slot " + k + " length");
        }
        int b = data.get(p++) & 0xFF;
        len |= (long) (b & 0x7F) << shift;
        if (b < 0x80) {
          break;
        }
        shift += 7;
        if (shift > 28) {
          throw new CorruptChunkException(resource, -1, "aggregate chunk slot length too long", "slot " + k);
        }
      }
      if (len == 0) {
        continue;
      }
      if (p + 1 + len > limit) {
        throw new CorruptChunkException(resource, -1, "truncated aggregate chunk", "slot " + k + " needs " + len
            + " bytes, " + (limit - p - 1) + " left");
      }
      enc[k] = data.get(p) & 0xFF;
      out[k] = data.slice(p + 1, (int) len);
      p += 1 + (int) len;
    }
  }

  /**
   * The slots of {@code data} as chunks, each decoded by its encoding byte: {@code [k]} is slot {@code k}, or
   * {@code null} when absent. {@code resource} and {@code offset} name the aggregate chunk in errors.
   *
   * @throws CorruptChunkException when a slot runs past the data or names an unknown encoding
   */
  public static Chunk[] chunks(ByteBuffer data, String resource, long offset) {
    ByteBuffer[] slots = new ByteBuffer[SLOTS];
    int[] encodings = new int[SLOTS];
    split(data, slots, encodings, resource);
    Chunk[] out = new Chunk[SLOTS];
    for (int k = 0; k < SLOTS; k++) {
      if (slots[k] != null) {
        out[k] = Chunk.of(encodings[k], slots[k], resource, offset);
      }
    }
    return out;
  }
}
