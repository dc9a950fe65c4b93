package dev.orrery.core.io;

import java.io.IOException;

/**
 * A TSDB file failed a structural check: bad magic or version, a CRC mismatch, a length or reference past the end,
 * malformed JSON. The message names the resource (block, file) and the offset or field, with expected and actual
 * values where known.
 */
public class CorruptBlockException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String resource;
  private final long offset;

  /** Creates an exception for {@code resource} at byte {@code offset} ({@code -1} when no offset applies). */
  public CorruptBlockException(String resource, long offset, String message) {
    super(format(resource, offset, message));
    this.resource = resource;
    this.offset = offset;
  }

  /** Same as {@link #CorruptBlockException(String, long, String)} with a cause. */
  public CorruptBlockException(String resource, long offset, String message, Throwable cause) {
    super(format(resource, offset, message), cause);
    this.resource = resource;
    this.offset = offset;
  }

  private static String format(String resource, long offset, String message) {
    return offset >= 0 ? message + " in " + resource + " at offset " + offset : message + " in " + resource;
  }

  /** The file or object the corruption was found in. */
  public String resource() {
    return resource;
  }

  /** The byte offset of the bad data, or {@code -1}. */
  public long offset() {
    return offset;
  }
}
