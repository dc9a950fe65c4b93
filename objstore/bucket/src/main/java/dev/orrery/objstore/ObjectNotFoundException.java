package dev.orrery.objstore;

import java.io.IOException;

import static java.util.Objects.requireNonNull;

/**
 * Thrown by {@link Bucket} operations that need an object which does not exist (Thanos' {@code IsObjNotFoundErr}).
 *
 * <p>Never retried by {@link RetryingBucket}: a missing object stays missing until someone uploads it.
 */
public class ObjectNotFoundException extends IOException {
  private final String key;

  /**
   * Creates the exception for one object.
   *
   * @param bucketName the bucket's {@link Bucket#name() name}, used in the message
   * @param key the missing object's key
   */
  public ObjectNotFoundException(String bucketName, String key) {
    super(message(bucketName, key));
    this.key = key;
  }

  /**
   * Creates the exception for one object with the cause reported by a client library.
   *
   * @param bucketName the bucket's name, used in the message
   * @param key the missing object's key
   * @param cause the client's exception
   */
  public ObjectNotFoundException(String bucketName, String key, Throwable cause) {
    super(message(bucketName, key), cause);
    this.key = key;
  }

  private static String message(String bucketName, String key) {
    return "object not found: " + requireNonNull(key, "key is null") + " in bucket "
        + requireNonNull(bucketName, "bucketName is null");
  }

  /** Returns the key of the object that does not exist. */
  public String key() {
    return key;
  }
}
