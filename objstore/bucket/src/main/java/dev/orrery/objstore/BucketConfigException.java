package dev.orrery.objstore;

import java.io.IOException;

import static java.util.Objects.requireNonNull;

/**
 * A bucket URL or a Thanos objstore configuration that cannot be used: an unknown scheme or type, a missing or
 * malformed setting, unreadable YAML, credentials that cannot be loaded.
 *
 * <p>The message is one line that names the source (URL or file), the setting and the problem, for example {@code
 * objstore.yml: config.bucket: missing (required for type S3)}, so that a command line can print it as it is.
 */
public class BucketConfigException extends IOException {
  private final String setting;

  /**
   * Creates the exception.
   *
   * @param source where the configuration came from: a URL, a file name, or a short description
   * @param setting the setting at fault, as the user wrote it (for example {@code config.bucket} or {@code scheme})
   * @param problem what is wrong with it, one line
   */
  public BucketConfigException(String source, String setting, String problem) {
    super(message(source, setting, problem));
    this.setting = setting;
  }

  /**
   * Creates the exception with the underlying cause.
   *
   * @param source where the configuration came from
   * @param setting the setting at fault
   * @param problem what is wrong with it, one line
   * @param cause the underlying exception
   */
  public BucketConfigException(String source, String setting, String problem, Throwable cause) {
    super(message(source, setting, problem), cause);
    this.setting = setting;
  }

  private static String message(String source, String setting, String problem) {
    return requireNonNull(source, "source is null") + ": " + requireNonNull(setting, "setting is null") + ": "
        + oneLine(requireNonNull(problem, "problem is null"));
  }

  /** Returns the setting at fault, for example {@code config.bucket}. */
  public String setting() {
    return setting;
  }

  /** Collapses a (library) message to its first line so the exception's message stays one line. */
  static String oneLine(String text) {
    int newline = text.indexOf('\n');
    String first = newline < 0 ? text : text.substring(0, newline);
    return first.strip();
  }
}
