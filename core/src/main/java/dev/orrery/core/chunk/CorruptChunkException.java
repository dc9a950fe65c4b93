package dev.orrery.core.chunk;

import dev.orrery.core.io.CorruptDataException;

/**
 * A chunk, or the segment file record holding it, failed a check while it was being read: a CRC32C mismatch, a length
 * past the end of its file, an unknown encoding, or a bit stream that ends before its sample count says it should.
 *
 * <p>The message names what failed, the resource (segment file or object key) and the byte offset, then the details:
 * {@code "chunk CRC32C mismatch in 01HX.../chunks/000003 at offset 1048577: expected 1a2b3c4d, actual 00ff00ff"}.
 */
public class CorruptChunkException extends CorruptDataException {
  private static final long serialVersionUID = 1L;

  private final String message;

  /**
   * @param resource the file or object the chunk was read from ({@code "chunk"} when unknown)
   * @param offset byte offset of the record or the bad data, {@code -1} if unknown
   * @param what what failed, e.g. {@code "chunk CRC32C mismatch"}
   * @param detail expected and actual values or other details, may be empty
   */
  public CorruptChunkException(String resource, long offset, String what, String detail) {
    super(resource, offset, what);
    StringBuilder sb = new StringBuilder(what).append(" in ").append(resource);
    if (offset >= 0) {
      sb.append(" at offset ").append(offset);
    }
    if (!detail.isEmpty()) {
      sb.append(": ").append(detail);
    }
    this.message = sb.toString();
  }

  @Override
  public String getMessage() {
    return message;
  }
}
