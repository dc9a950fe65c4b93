package dev.orrery.core.index;

import dev.orrery.core.OrreryException;
import dev.orrery.core.io.CorruptBlockException;
import dev.orrery.core.io.CorruptDataException;
import java.io.IOException;

/**
 * Converts between the checked and unchecked corruption exceptions without repeating the "in resource at offset"
 * suffix both add, and keeps resource and offset as fields. Opening a file reports {@link CorruptBlockException};
 * lazy reads on the query path report {@link CorruptDataException}.
 */
final class Corruption {
  private Corruption() {}

  static CorruptBlockException checked(CorruptDataException e) {
    return new CorruptBlockException(e.resource(), e.offset(), bare(e.getMessage(), e.resource(), e.offset()), e);
  }

  static CorruptDataException unchecked(CorruptBlockException e) {
    CorruptDataException u = new CorruptDataException(e.resource(), e.offset(),
        bare(e.getMessage(), e.resource(), e.offset()));
    u.initCause(e);
    return u;
  }

  /** A failed read of {@code length} bytes at {@code offset} on the query path, as an unchecked exception. */
  static RuntimeException unchecked(IOException e, String resource, long offset) {
    if (e instanceof CorruptBlockException c) {
      return unchecked(c);
    }
    return new OrreryException(OrreryException.ErrorCode.STORAGE,
        "reading " + resource + " at offset " + offset + " failed: " + e.getMessage(), e);
  }

  private static String bare(String message, String resource, long offset) {
    String suffix = offset >= 0 ? " in " + resource + " at offset " + offset : " in " + resource;
    return message != null && message.endsWith(suffix) ? message.substring(0, message.length() - suffix.length())
        : String.valueOf(message);
  }
}
