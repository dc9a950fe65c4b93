package dev.orrery.objstore;

import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** The contract holds through the whole stack of wrappers an application typically builds. */
class WrappedBucketsTest extends BucketContractTest {
  @Override
  protected Bucket newBucket() {
    Bucket bucket = new InMemoryBucket();
    bucket = RetryingBucket.builder(bucket).sleeper(duration -> {}).build();
    bucket = new InstrumentedBucket(bucket, BucketMetrics.register(new PrometheusRegistry()));
    return CachingBucket.builder(bucket).maxBytes(1 << 20).maxObjectBytes(64 * 1024).build();
  }
}
