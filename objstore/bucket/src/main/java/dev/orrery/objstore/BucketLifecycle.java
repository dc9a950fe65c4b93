package dev.orrery.objstore;

import static java.util.Objects.requireNonNull;

import java.io.InterruptedIOException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A bucket's open or closed state and the checks its operations start with: the bucket is open, the key is valid
 * ({@link ObjectKeys#checkKey}), and the calling thread is not interrupted. Thread-safe.
 */
public final class BucketLifecycle {
  private final AtomicBoolean closed = new AtomicBoolean();
  private final String description;

  /** {@code description} names the bucket in errors, for example {@code "S3 bucket 'metrics'"}. */
  public BucketLifecycle(String description) {
    this.description = requireNonNull(description, "description is null");
  }

  /** Marks the bucket closed; true for the first call only, which releases what the bucket holds. */
  public boolean close() {
    return closed.compareAndSet(false, true);
  }

  /** @throws IllegalStateException if the bucket is closed */
  public void checkOpen() {
    if (closed.get()) {
      throw new IllegalStateException(description + " is closed");
    }
  }

  /**
   * The checks before {@code operation} on {@code key}.
   *
   * @throws IllegalStateException if the bucket is closed
   * @throws IllegalArgumentException if the key is not a valid object key
   * @throws InterruptedIOException if the thread is interrupted
   */
  public void check(String operation, String key) throws InterruptedIOException {
    checkOpen();
    ObjectKeys.checkKey(key);
    Interrupts.throwIfInterrupted(operation + " " + key);
  }
}
