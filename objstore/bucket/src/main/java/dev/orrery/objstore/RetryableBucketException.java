package dev.orrery.objstore;

import java.io.IOException;

/**
 * A failure that may go away when the same operation is tried again: a server error (HTTP 5xx), throttling
 * (HTTP 429, S3 {@code SlowDown}), a timed-out or reset connection.
 *
 * <p>Bucket implementations translate their client's transient errors into this type, and {@link RetryingBucket}
 * retries exactly these (by default). Everything else, {@link ObjectNotFoundException}, {@link
 * BucketAccessDeniedException}, bad arguments and interruptions among them, is final.
 */
public class RetryableBucketException extends IOException {
  /**
   * Creates the exception.
   *
   * @param message what failed, naming the bucket and key
   * @param cause the client's exception, or {@code null}
   */
  public RetryableBucketException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * Creates the exception without a cause.
   *
   * @param message what failed, naming the bucket and key
   */
  public RetryableBucketException(String message) {
    super(message);
  }
}
