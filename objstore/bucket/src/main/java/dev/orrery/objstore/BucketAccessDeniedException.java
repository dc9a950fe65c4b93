package dev.orrery.objstore;

import java.io.IOException;

/**
 * The object store refused the request because of the credentials or permissions (HTTP 401/403, S3 {@code
 * InvalidAccessKeyId}, {@code SignatureDoesNotMatch}, {@code AccessDenied}). The message names the configuration
 * settings to check. Never retried.
 */
public class BucketAccessDeniedException extends IOException {
  /**
   * Creates the exception.
   *
   * @param message one line naming the bucket, the error and the settings to check
   * @param cause the client's exception, or {@code null}
   */
  public BucketAccessDeniedException(String message, Throwable cause) {
    super(message, cause);
  }
}
