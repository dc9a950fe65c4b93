package dev.orrery.core.chunk;

/**
 * Chunk references as stored in the index (FORMATS.md 3.3): {@code (segmentIndex << 32) | offset}, where the segment
 * index is the 0-based position of the file among the block's segment files ({@code 000001} is 0) and the offset is
 * the byte offset of the record's length varint in that file, at least 8.
 */
public final class ChunkRef {
  private ChunkRef() {}

  /** The reference to the record at {@code offset} of segment {@code segmentIndex}. */
  public static long of(int segmentIndex, long offset) {
    if (segmentIndex < 0) {
      throw new IllegalArgumentException("segment index must be >= 0, got " + segmentIndex);
    }
    if (offset < 0 || offset > 0xFFFFFFFFL) {
      throw new IllegalArgumentException("offset must fit 32 unsigned bits, got " + offset);
    }
    return ((long) segmentIndex << 32) | offset;
  }

  /** The 0-based segment file index of {@code ref}. */
  public static int segmentIndex(long ref) {
    return (int) (ref >>> 32);
  }

  /** The byte offset of {@code ref} within its segment file. */
  public static long offset(long ref) {
    return ref & 0xFFFFFFFFL;
  }

  /** {@code ref} as {@code segment/offset (0x...)} for messages. */
  public static String toString(long ref) {
    return Integer.toUnsignedString(segmentIndex(ref)) + "/" + offset(ref) + " (0x" + Long.toHexString(ref) + ")";
  }
}
