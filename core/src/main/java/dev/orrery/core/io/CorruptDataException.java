package dev.orrery.core.io;

import dev.orrery.core.OrreryException;

/**
 * Unchecked form of {@link CorruptBlockException}, for corruption found lazily while iterating (a chunk, a series
 * entry, a postings list) where checked exceptions cannot pass. Names the resource and offset like its checked twin.
 */
public class CorruptDataException extends OrreryException {
  private static final long serialVersionUID = 1L;

  private final String resource;
  private final long offset;

  /** Creates an exception for {@code resource} at byte {@code offset} ({@code -1} when no offset applies). */
  public CorruptDataException(String resource, long offset, String message) {
    super(ErrorCode.CORRUPT_DATA, offset >= 0 ? message + " in " + resource + " at offset " + offset
        : message + " in " + resource);
    this.resource = resource;
    this.offset = offset;
  }

  /** The file or object the corruption was found in. */
  public String resource() {
    return resource;
  }

  /** The byte offset of the bad data, or {@code -1}. */
  public long offset() {
    return offset;
  }

  /** The checked form, for APIs that declare {@link java.io.IOException}. */
  public CorruptBlockException toChecked() {
    CorruptBlockException e = new CorruptBlockException(resource, -1, getMessage());
    e.initCause(this);
    return e;
  }
}
