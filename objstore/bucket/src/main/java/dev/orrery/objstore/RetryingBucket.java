package dev.orrery.objstore;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * Retries failed operations with exponential backoff and jitter, but only failures that may be transient ({@link
 * RetryableBucketException} by default). Not found, access denied, interruption and bad arguments fail at once.
 *
 * <p>What is retried, and how:
 * <ul>
 *   <li>{@code exists}, {@code attributes}, {@code delete}: the whole call.
 *   <li>{@code get}, {@code getRange}: opening the stream. With {@link Builder#resumeReads(boolean)} also
 *       reading it: a retryable failure while reading re-opens the rest of the range with {@code getRange} at the
 *       position reached, so the caller sees one unbroken stream. Only for buckets whose objects are never
 *       replaced (Thanos' block layout): a replacement between the two requests would mix two versions.
 *   <li>{@code upload(key, byte[])} and {@code upload(key, Path)}: the whole upload, since the body can be read
 *       again. {@code upload(key, InputStream, length)}: only while not a single byte of the stream was consumed.
 *   <li>{@code iterate}: the whole listing; keys the visitor already saw are not reported again (the wrapper keeps
 *       the set of reported keys for the duration of the call). An exception thrown by the visitor is never retried.
 * </ul>
 * The backoff before retry {@code n} (1-based) is a random duration in {@code [b/2, b)} with {@code b =
 * min(maxBackoff, initialBackoff * 2^(n-1))} ("equal jitter"). Sleeping is interruptible: an interrupt ends the
 * operation with an {@link InterruptedIOException} that carries the last failure as suppressed.
 *
 * <p>Thread-safe if the delegate is. Owns the delegate. Build with {@link #builder(Bucket)}.
 */
public final class RetryingBucket extends ForwardingBucket {
  private static final Logger LOG = LoggerFactory.getLogger(RetryingBucket.class);

  /** Sleeps between attempts; tests pass a fake that records instead of sleeping. */
  @FunctionalInterface
  public interface Sleeper {
    /**
     * Blocks for {@code duration}.
     *
     * @param duration how long
     * @throws InterruptedException if interrupted
     */
    void sleep(Duration duration) throws InterruptedException;
  }

  private final int maxAttempts;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final Predicate<IOException> retryable;
  private final Sleeper sleeper;
  private final RandomGenerator random;
  private final ReentrantLock randomLock = new ReentrantLock();
  private final boolean resumeReads;

  private RetryingBucket(Builder builder) {
    super(builder.delegate);
    this.maxAttempts = builder.maxAttempts;
    this.initialBackoff = builder.initialBackoff;
    this.maxBackoff = builder.maxBackoff;
    this.retryable = builder.retryable;
    this.sleeper = builder.sleeper;
    this.random = builder.random;
    this.resumeReads = builder.resumeReads;
  }

  /**
   * Starts a builder with the defaults: 5 attempts, backoff from 100 ms up to 10 s, retrying {@link
   * RetryableBucketException}.
   *
   * @param delegate the bucket to wrap; owned by the built bucket
   * @return the builder
   */
  public static Builder builder(Bucket delegate) {
    return new Builder(delegate);
  }

  /** One attempt of an operation. */
  @FunctionalInterface
  private interface Attempt<T> {
    T run() throws IOException;
  }

  private <T> T withRetries(String operation, String key, Attempt<T> attempt) throws IOException {
    for (int attemptNumber = 1; ; attemptNumber++) {
      try {
        return attempt.run();
      } catch (IOException e) {
        if (!shouldRetry(e, attemptNumber)) {
          throw e;
        }
        backoff(operation, key, attemptNumber, e);
      }
    }
  }

  private boolean shouldRetry(IOException e, int attemptNumber) {
    boolean interrupted = e instanceof InterruptedIOException && !(e instanceof SocketTimeoutException);
    return attemptNumber < maxAttempts && !interrupted && !Thread.currentThread().isInterrupted()
        && retryable.test(e);
  }

  private void backoff(String operation, String key, int attemptNumber, IOException failure) throws IOException {
    long ceilingNanos = initialBackoff.toNanos();
    for (int i = 1; i < attemptNumber && ceilingNanos < maxBackoff.toNanos(); i++) {
      ceilingNanos *= 2;
    }
    ceilingNanos = Math.min(ceilingNanos, maxBackoff.toNanos());
    long half = ceilingNanos / 2;
    long sleepNanos;
    randomLock.lock();
    try {
      sleepNanos = half + (ceilingNanos - half <= 0 ? 0 : random.nextLong(ceilingNanos - half));
    } finally {
      randomLock.unlock();
    }
    Duration pause = Duration.ofNanos(sleepNanos);
    LOG.debug("{} {} in bucket {} failed (attempt {} of {}), retrying in {}: {}", operation, key, name(),
        attemptNumber, maxAttempts, pause, failure.toString());
    try {
      sleeper.sleep(pause);
    } catch (InterruptedException e) {
      InterruptedIOException interrupted = Interrupts.interrupted(operation + " " + key, e);
      interrupted.addSuppressed(failure);
      throw interrupted;
    }
  }

  @Override
  public InputStream get(String key) throws IOException {
    InputStream in = withRetries("get", key, () -> delegate.get(key));
    return resumeReads ? new ResumingInputStream(in, key, 0, -1) : in;
  }

  @Override
  public InputStream getRange(String key, long offset, long length) throws IOException {
    ObjectKeys.checkRange(offset, length);
    InputStream in = withRetries("get_range", key, () -> delegate.getRange(key, offset, length));
    return resumeReads ? new ResumingInputStream(in, key, offset, length) : in;
  }

  @Override
  public boolean exists(String key) throws IOException {
    return withRetries("exists", key, () -> delegate.exists(key));
  }

  @Override
  public ObjectAttributes attributes(String key) throws IOException {
    return withRetries("attributes", key, () -> delegate.attributes(key));
  }

  @Override
  public void upload(String key, InputStream body, long length) throws IOException {
    requireNonNull(body, "body is null");
    CountingInputStream counted = new CountingInputStream(body);
    for (int attemptNumber = 1; ; attemptNumber++) {
      try {
        delegate.upload(key, counted, length);
        return;
      } catch (IOException e) {
        // The body cannot be rewound: a retry is only safe while the delegate has consumed none of it.
        if (counted.count() > 0 || !shouldRetry(e, attemptNumber)) {
          throw e;
        }
        backoff("upload", key, attemptNumber, e);
      }
    }
  }

  @Override
  public void upload(String key, byte[] content) throws IOException {
    withRetries("upload", key, () -> {
      delegate.upload(key, content);
      return null;
    });
  }

  @Override
  public void upload(String key, Path file) throws IOException {
    withRetries("upload", key, () -> {
      delegate.upload(key, file);
      return null;
    });
  }

  @Override
  public void delete(String key) throws IOException {
    withRetries("delete", key, () -> {
      delegate.delete(key);
      return null;
    });
  }

  @Override
  public void iterate(String prefix, IterOptions options, KeyVisitor visitor) throws IOException {
    Set<String> reported = new HashSet<>();
    IOException[] visitorFailure = new IOException[1];
    KeyVisitor once = key -> {
      if (reported.add(key)) {
        try {
          visitor.visit(key);
        } catch (IOException e) {
          visitorFailure[0] = e;
          throw e;
        }
      }
    };
    for (int attemptNumber = 1; ; attemptNumber++) {
      try {
        delegate.iterate(prefix, options, once);
        return;
      } catch (IOException e) {
        if (e == visitorFailure[0] || !shouldRetry(e, attemptNumber)) {
          throw e;
        }
        backoff("iter", prefix, attemptNumber, e);
      }
    }
  }

  @Override
  public String toString() {
    return "RetryingBucket[" + maxAttempts + " attempts, " + delegate + "]";
  }

  /** A range stream that re-opens the rest of the range after a retryable read failure. */
  private final class ResumingInputStream extends InputStream {
    private final String key;
    private final long length;
    private @Nullable InputStream in;
    private long position;
    private long consumed;
    private int failures;

    ResumingInputStream(InputStream in, String key, long offset, long length) {
      this.in = in;
      this.key = key;
      this.position = offset;
      this.length = length;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n <= 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int count) throws IOException {
      while (true) {
        try {
          if (in == null) {
            long remaining = length == -1 ? -1 : length - consumed;
            in = remaining == 0 ? InputStream.nullInputStream() : delegate.getRange(key, position, remaining);
          }
          int n = in.read(buffer, offset, count);
          if (n > 0) {
            position += n;
            consumed += n;
          }
          return n;
        } catch (IOException e) {
          failures++;
          if (!shouldRetry(e, failures)) {
            throw e;
          }
          if (in != null) {
            try {
              in.close();
            } catch (IOException suppressed) {
              e.addSuppressed(suppressed);
            }
            in = null;
          }
          backoff("get_range", key, failures, e);
        }
      }
    }

    @Override
    public int available() throws IOException {
      return in == null ? 0 : in.available();
    }

    @Override
    public void close() throws IOException {
      if (in != null) {
        in.close();
      }
    }
  }

  /** Configures a {@link RetryingBucket}. Not thread-safe. */
  public static final class Builder {
    private final Bucket delegate;
    private int maxAttempts = 5;
    private Duration initialBackoff = Duration.ofMillis(100);
    private Duration maxBackoff = Duration.ofSeconds(10);
    private Predicate<IOException> retryable = e -> e instanceof RetryableBucketException;
    private Sleeper sleeper = duration -> Thread.sleep(duration);
    private RandomGenerator random = new SplittableRandom();
    private boolean resumeReads;

    private Builder(Bucket delegate) {
      this.delegate = requireNonNull(delegate, "delegate is null");
    }

    /**
     * Sets how many times an operation is tried in all (1 = no retries).
     *
     * @param attempts at least 1
     * @return this builder
     */
    public Builder maxAttempts(int attempts) {
      if (attempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be >= 1, got " + attempts);
      }
      this.maxAttempts = attempts;
      return this;
    }

    /**
     * Sets the backoff before the first retry and the cap it doubles up to.
     *
     * @param initial before the first retry, positive
     * @param max the largest backoff, {@code >= initial}
     * @return this builder
     */
    public Builder backoff(Duration initial, Duration max) {
      requireNonNull(initial, "initial is null");
      requireNonNull(max, "max is null");
      if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
        throw new IllegalArgumentException("backoff needs 0 < initial <= max, got " + initial + " and " + max);
      }
      this.initialBackoff = initial;
      this.maxBackoff = max;
      return this;
    }

    /**
     * Sets which failures are retried (default: {@link RetryableBucketException}). Interruptions never are.
     *
     * @param predicate true for a failure worth another attempt
     * @return this builder
     */
    public Builder retryOn(Predicate<IOException> predicate) {
      this.retryable = requireNonNull(predicate, "predicate is null");
      return this;
    }

    /**
     * Replaces {@link Thread#sleep}, for tests.
     *
     * @param sleeper what waits between attempts
     * @return this builder
     */
    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = requireNonNull(sleeper, "sleeper is null");
      return this;
    }

    /**
     * Sets the source of jitter, for reproducible tests.
     *
     * @param random the generator; used under a lock
     * @return this builder
     */
    public Builder random(RandomGenerator random) {
      this.random = requireNonNull(random, "random is null");
      return this;
    }

    /**
     * Makes read streams resume after a retryable failure part-way (default off). Enable only for buckets whose
     * objects are immutable once written, as every object of Thanos' block layout is.
     *
     * @param resume whether to resume
     * @return this builder
     */
    public Builder resumeReads(boolean resume) {
      this.resumeReads = resume;
      return this;
    }

    /** Returns the retrying bucket. */
    public RetryingBucket build() {
      return new RetryingBucket(this);
    }
  }
}
