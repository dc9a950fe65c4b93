package dev.orrery.core;

/**
 * The one unchecked exception of the query pipeline, where iterators and operators cannot throw checked exceptions.
 * The {@link ErrorCode} says what kind of failure it is; callers map it to HTTP or gRPC status codes.
 */
public class OrreryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;

  /** Creates an exception with {@code code} and {@code message}. */
  public OrreryException(ErrorCode code, String message) {
    super(message);
    this.code = code;
  }

  /** Creates an exception with {@code code}, {@code message} and {@code cause}. */
  public OrreryException(ErrorCode code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  /** What kind of failure this is. */
  public ErrorCode code() {
    return code;
  }

  /** Kinds of failure in the query pipeline. */
  public enum ErrorCode {
    /** Stored data failed a check while it was being read lazily (a chunk, a series entry). */
    CORRUPT_DATA,
    /** The request is malformed. */
    BAD_QUERY,
    /** A sample, series or byte limit was hit. */
    LIMIT_EXCEEDED,
    /** The deadline passed. */
    TIMEOUT,
    /** The caller cancelled. */
    CANCELLED,
    /** Reading from storage failed (I/O, network). */
    STORAGE,
    /** The data uses a feature this version cannot read. */
    UNSUPPORTED
  }
}
