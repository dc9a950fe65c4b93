package dev.orrery.core.storage;

/**
 * Metric metadata by metric family name. Blocks carry none; a sidecar asks its Prometheus, and a querier merges what
 * its stores answer. Implementations are thread-safe.
 */
@FunctionalInterface
public interface MetricMetadataSource {
  /** A source that knows no metadata (data read from blocks). */
  MetricMetadataSource NONE = (metric, limit, options) -> MetricMetadataSet.EMPTY;

  /**
   * The metadata of every metric family, or of one.
   *
   * @param metric the family to return, or {@code ""} for all
   * @param limit at most this many families; negative for no limit, {@code 0} for none
   * @param options per-query store options: under {@link StoreOptions#partialResponse()} a store that fails becomes
   *     a warning in the answer instead of an error
   * @throws dev.orrery.core.OrreryException when a store fails and partial response is off
   */
  MetricMetadataSet metricMetadata(String metric, int limit, StoreOptions options);
}
