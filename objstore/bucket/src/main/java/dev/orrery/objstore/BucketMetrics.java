package dev.orrery.objstore;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import static java.util.Objects.requireNonNull;

/**
 * The metric families of {@link InstrumentedBucket}, named and labelled exactly as Thanos' {@code objstore} package
 * names them, so the Thanos mixin's dashboards and alerts work unchanged:
 *
 * <table>
 *   <caption>Metrics (labels {@code bucket}, {@code operation} unless noted)</caption>
 *   <tr><td>{@code thanos_objstore_bucket_operations_total}</td><td>counter: attempted operations</td></tr>
 *   <tr><td>{@code thanos_objstore_bucket_operation_failures_total}</td><td>counter: failed operations that the
 *       caller did not declare expected</td></tr>
 *   <tr><td>{@code thanos_objstore_bucket_operation_fetched_bytes_total}</td><td>counter: bytes read</td></tr>
 *   <tr><td>{@code thanos_objstore_bucket_operation_transferred_bytes}</td><td>histogram: bytes read or written
 *       per operation</td></tr>
 *   <tr><td>{@code thanos_objstore_bucket_operation_duration_seconds}</td><td>histogram: duration of successful
 *       operations; for {@code get}/{@code get_range} until the stream is closed, for {@code iter} including the
 *       visitor</td></tr>
 *   <tr><td>{@code thanos_objstore_bucket_last_successful_upload_time}</td><td>gauge, label {@code bucket} only:
 *       Unix seconds of the last successful upload</td></tr>
 * </table>
 *
 * <p>Register once per registry and share among all instrumented buckets; each bucket adds its own {@code bucket}
 * label value. Thread-safe.
 */
public final class BucketMetrics {
  /** Thanos' duration buckets ({@code objstore.WrapWithMetrics}). */
  private static final double[] DURATION_BOUNDS = {0.001, 0.01, 0.1, 0.3, 0.6, 1, 3, 6, 9, 20, 30, 60, 90, 120};

  final Counter operations;
  final Counter failures;
  final Counter fetchedBytes;
  final Histogram transferredBytes;
  final Histogram duration;
  final Gauge lastSuccessfulUpload;

  private BucketMetrics(PrometheusRegistry registry) {
    operations = Counter.builder()
        .name("thanos_objstore_bucket_operations_total")
        .help("Total number of all attempted operations against a bucket.")
        .labelNames("bucket", "operation")
        .register(registry);
    failures = Counter.builder()
        .name("thanos_objstore_bucket_operation_failures_total")
        .help("Total number of operations against a bucket that failed, but were not expected to fail in certain way"
            + " from caller perspective. Those errors have to be investigated.")
        .labelNames("bucket", "operation")
        .register(registry);
    fetchedBytes = Counter.builder()
        .name("thanos_objstore_bucket_operation_fetched_bytes_total")
        .help("Total number of bytes fetched from bucket, per operation.")
        .labelNames("bucket", "operation")
        .register(registry);
    transferredBytes = Histogram.builder()
        .name("thanos_objstore_bucket_operation_transferred_bytes")
        .help("Number of bytes transferred from/to bucket per operation.")
        .labelNames("bucket", "operation")
        // Thanos: prometheus.ExponentialBuckets(2<<14, 2, 16), i.e. 32 KiB doubling 16 times.
        .classicExponentialUpperBounds(32768, 2, 16)
        .withoutExemplars()
        .register(registry);
    duration = Histogram.builder()
        .name("thanos_objstore_bucket_operation_duration_seconds")
        .help("Duration of successful operations against the bucket per operation - iter operations include time"
            + " spent on each callback.")
        .labelNames("bucket", "operation")
        .classicUpperBounds(DURATION_BOUNDS)
        .withoutExemplars()
        .register(registry);
    lastSuccessfulUpload = Gauge.builder()
        .name("thanos_objstore_bucket_last_successful_upload_time")
        .help("Second timestamp of the last successful upload to the bucket.")
        .labelNames("bucket")
        .register(registry);
  }

  /**
   * Registers the metric families.
   *
   * @param registry where to register; registering twice in one registry fails
   * @return the metrics, to share among buckets
   * @throws IllegalStateException if the families are already registered there
   */
  public static BucketMetrics register(PrometheusRegistry registry) {
    return new BucketMetrics(requireNonNull(registry, "registry is null"));
  }

  /** Creates every label combination for {@code bucket} with zero values, as Thanos does, so rates start at 0. */
  void initialize(String bucket) {
    for (BucketOperation operation : BucketOperation.values()) {
      operations.labelValues(bucket, operation.thanosName());
      failures.labelValues(bucket, operation.thanosName());
      if (operation == BucketOperation.GET || operation == BucketOperation.GET_RANGE) {
        fetchedBytes.labelValues(bucket, operation.thanosName());
      }
    }
    lastSuccessfulUpload.labelValues(bucket);
  }
}
