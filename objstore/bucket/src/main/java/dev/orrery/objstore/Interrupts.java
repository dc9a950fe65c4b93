package dev.orrery.objstore;

import java.io.InterruptedIOException;

/** How bucket code turns thread interruption into the {@link java.io.InterruptedIOException} of the contract. */
public final class Interrupts {
  private Interrupts() {}

  /**
   * Throws if the current thread has been interrupted, leaving its interrupt status set.
   *
   * @param what the operation, for the message (for example {@code "get 01J.../index"})
   * @throws InterruptedIOException if the thread is interrupted
   */
  public static void throwIfInterrupted(String what) throws InterruptedIOException {
    if (Thread.currentThread().isInterrupted()) {
      throw new InterruptedIOException(what + ": interrupted");
    }
  }

  /**
   * Converts an {@link InterruptedException} caught while blocking: restores the interrupt status and returns the
   * exception to throw.
   *
   * @param what the operation, for the message
   * @param cause the caught exception
   * @return an {@link InterruptedIOException} with {@code cause} attached
   */
  public static InterruptedIOException interrupted(String what, InterruptedException cause) {
    Thread.currentThread().interrupt();
    InterruptedIOException exception = new InterruptedIOException(what + ": interrupted");
    exception.initCause(cause);
    return exception;
  }
}
