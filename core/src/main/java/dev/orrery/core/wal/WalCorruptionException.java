package dev.orrery.core.wal;

import dev.orrery.core.io.CorruptBlockException;
import java.nio.file.Path;

/**
 * A WAL segment failed a check: a bad CRC, an impossible fragment, a torn record, a record that does not decode. Names
 * the segment file and the byte offset in it; everything before that offset was read intact, which is what a repair
 * keeps.
 */
public final class WalCorruptionException extends CorruptBlockException {
  private static final long serialVersionUID = 1L;

  private final int segment;

  /** Corruption in segment {@code segment} (file {@code file}) at byte {@code offset}. */
  public WalCorruptionException(Path file, int segment, long offset, String message) {
    super(file.toString(), offset, message);
    this.segment = segment;
  }

  /** Same, with the cause. */
  public WalCorruptionException(Path file, int segment, long offset, String message, Throwable cause) {
    super(file.toString(), offset, message, cause);
    this.segment = segment;
  }

  /** Index of the corrupt segment. */
  public int segment() {
    return segment;
  }
}
