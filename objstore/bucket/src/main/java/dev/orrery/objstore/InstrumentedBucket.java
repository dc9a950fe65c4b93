package dev.orrery.objstore;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

import static java.util.Objects.requireNonNull;

/**
 * Counts, times and sizes every operation in {@link BucketMetrics}, as Thanos' {@code objstore.WrapWithMetrics}
 * does. A failure counts in {@code thanos_objstore_bucket_operation_failures_total} unless the caller declared it
 * expected (Thanos' {@code ReaderWithExpectedErrs}); interruptions and invalid arguments are not failures (Thanos
 * skips canceled contexts).
 *
 * <p>Thread-safe if the delegate is. Owns the delegate.
 */
public final class InstrumentedBucket extends ForwardingBucket {
  private final BucketMetrics metrics;
  private final String bucketLabel;
  private final Predicate<IOException> expectedFailure;

  /**
   * Wraps a bucket, labelling its metrics with {@code bucket=<delegate.name()>}; every failure counts.
   *
   * @param delegate the bucket; owned by this wrapper
   * @param metrics the registered metric families
   */
  public InstrumentedBucket(Bucket delegate, BucketMetrics metrics) {
    this(delegate, metrics, delegate.name(), e -> false);
  }

  /**
   * Wraps a bucket.
   *
   * @param delegate the bucket; owned by this wrapper
   * @param metrics the registered metric families
   * @param bucketLabel the value of the {@code bucket} label
   * @param expectedFailure failures that the caller handles as normal outcomes and that should not count as
   *     failures, for example {@code e -> e instanceof ObjectNotFoundException} for a reader that probes optional
   *     objects
   */
  public InstrumentedBucket(Bucket delegate, BucketMetrics metrics, String bucketLabel,
      Predicate<IOException> expectedFailure) {
    super(delegate);
    this.metrics = requireNonNull(metrics, "metrics is null");
    this.bucketLabel = requireNonNull(bucketLabel, "bucketLabel is null");
    this.expectedFailure = requireNonNull(expectedFailure, "expectedFailure is null");
    metrics.initialize(bucketLabel);
  }

  private long start(BucketOperation operation) {
    metrics.operations.labelValues(bucketLabel, operation.thanosName()).inc();
    return System.nanoTime();
  }

  private void succeeded(BucketOperation operation, long startNanos) {
    metrics.duration.labelValues(bucketLabel, operation.thanosName())
        .observe((System.nanoTime() - startNanos) / 1e9);
  }

  private void failed(BucketOperation operation, IOException e) {
    boolean interrupted = e instanceof InterruptedIOException && !(e instanceof SocketTimeoutException);
    if (!interrupted && !expectedFailure.test(e)) {
      metrics.failures.labelValues(bucketLabel, operation.thanosName()).inc();
    }
  }

  private void failed(BucketOperation operation, RuntimeException e) {
    if (!(e instanceof IllegalArgumentException)) {
      metrics.failures.labelValues(bucketLabel, operation.thanosName()).inc();
    }
  }

  @Override
  public InputStream get(String key) throws IOException {
    return read(BucketOperation.GET, () -> delegate.get(key));
  }

  @Override
  public InputStream getRange(String key, long offset, long length) throws IOException {
    return read(BucketOperation.GET_RANGE, () -> delegate.getRange(key, offset, length));
  }

  /** A call that returns a result. */
  @FunctionalInterface
  private interface Call<T> {
    T run() throws IOException;
  }

  private InputStream read(BucketOperation operation, Call<InputStream> opener) throws IOException {
    long startNanos = start(operation);
    try {
      return new TimedInputStream(opener.run(), operation, startNanos);
    } catch (IOException e) {
      failed(operation, e);
      throw e;
    } catch (RuntimeException e) {
      failed(operation, e);
      throw e;
    }
  }

  private <T> T timed(BucketOperation operation, Call<T> call) throws IOException {
    long startNanos = start(operation);
    try {
      T result = call.run();
      succeeded(operation, startNanos);
      return result;
    } catch (IOException e) {
      failed(operation, e);
      throw e;
    } catch (RuntimeException e) {
      failed(operation, e);
      throw e;
    }
  }

  @Override
  public boolean exists(String key) throws IOException {
    return timed(BucketOperation.EXISTS, () -> delegate.exists(key));
  }

  @Override
  public ObjectAttributes attributes(String key) throws IOException {
    return timed(BucketOperation.ATTRIBUTES, () -> delegate.attributes(key));
  }

  @Override
  public void upload(String key, InputStream body, long length) throws IOException {
    CountingInputStream counted = new CountingInputStream(body);
    uploaded(() -> {
      delegate.upload(key, counted, length);
      return counted.count();
    });
  }

  @Override
  public void upload(String key, byte[] content) throws IOException {
    uploaded(() -> {
      delegate.upload(key, content);
      return (long) content.length;
    });
  }

  @Override
  public void upload(String key, Path file) throws IOException {
    uploaded(() -> {
      delegate.upload(key, file);
      return Files.size(file);
    });
  }

  private void uploaded(Call<Long> upload) throws IOException {
    long bytes = timed(BucketOperation.UPLOAD, upload);
    metrics.transferredBytes.labelValues(bucketLabel, BucketOperation.UPLOAD.thanosName()).observe(bytes);
    metrics.lastSuccessfulUpload.labelValues(bucketLabel).set(System.currentTimeMillis() / 1000.0);
  }

  @Override
  public void delete(String key) throws IOException {
    timed(BucketOperation.DELETE, () -> {
      delegate.delete(key);
      return null;
    });
  }

  @Override
  public void iterate(String prefix, IterOptions options, KeyVisitor visitor) throws IOException {
    timed(BucketOperation.ITER, () -> {
      delegate.iterate(prefix, options, visitor);
      return null;
    });
  }

  @Override
  public String toString() {
    return "InstrumentedBucket[" + bucketLabel + ", " + delegate + "]";
  }

  /** Counts bytes read and records duration and size when closed (Thanos' {@code timingReader}). */
  private final class TimedInputStream extends FilterInputStream {
    private final BucketOperation operation;
    private final long startNanos;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CounterDataPoint fetched;
    private long bytes;
    private boolean failed;

    TimedInputStream(InputStream in, BucketOperation operation, long startNanos) {
      super(in);
      this.operation = operation;
      this.startNanos = startNanos;
      this.fetched = metrics.fetchedBytes.labelValues(bucketLabel, operation.thanosName());
    }

    @Override
    public int read() throws IOException {
      try {
        int b = in.read();
        if (b >= 0) {
          count(1);
        }
        return b;
      } catch (IOException e) {
        readFailed(e);
        throw e;
      }
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      try {
        int n = in.read(buffer, offset, length);
        if (n > 0) {
          count(n);
        }
        return n;
      } catch (IOException e) {
        readFailed(e);
        throw e;
      }
    }

    private void count(int n) {
      bytes += n;
      fetched.inc(n);
    }

    private void readFailed(IOException e) {
      if (!failed) {
        failed = true;
        failed(operation, e);
      }
    }

    @Override
    public boolean markSupported() {
      return false;
    }

    @Override
    public void close() throws IOException {
      if (!closed.compareAndSet(false, true)) {
        return;
      }
      try {
        in.close();
      } finally {
        if (!failed) {
          succeeded(operation, startNanos);
          metrics.transferredBytes.labelValues(bucketLabel, operation.thanosName()).observe(bytes);
        }
      }
    }
  }
}
