package dev.orrery.objstore.block;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The {@link MetaFetcher}'s metric families, named as Thanos' block metadata fetcher names them in its store gateway
 * and compactor: syncs, failed syncs, sync duration, and the blocks of the last sync by state ({@code loaded}, {@code
 * failed}, {@code no-meta-json}, or the reason a filter gave: {@code too-fresh}, {@code duplicate}, {@code
 * marked-for-deletion}, {@code label-excluded}, {@code time-excluded}, ...). Thread-safe.
 */
final class FetcherMetrics {
  /** States reported as 0 before any block is in them, as Thanos does. */
  private static final List<String> STATES = List.of("loaded", "failed", "no-meta-json", "too-fresh", "duplicate",
      "marked-for-deletion", "label-excluded", "time-excluded", "marked-for-no-compact");
  /** Thanos' buckets for meta sync duration, in seconds. */
  private static final double[] DURATION_BOUNDS = {0.01, 1, 10, 100, 300, 600, 1000};

  private final Counter syncs;
  private final Counter failures;
  private final Histogram duration;
  private final Gauge synced;

  /** @param registryOrNull where to register; {@code null} keeps the metrics in a registry of their own */
  FetcherMetrics(@Nullable PrometheusRegistry registryOrNull) {
    PrometheusRegistry registry = registryOrNull == null ? new PrometheusRegistry() : registryOrNull;
    syncs = Counter.builder().name("thanos_blocks_meta_syncs_total")
        .help("Total blocks metadata synchronization attempts").register(registry);
    failures = Counter.builder().name("thanos_blocks_meta_sync_failures_total")
        .help("Total blocks metadata synchronization failures").register(registry);
    duration = Histogram.builder().name("thanos_blocks_meta_sync_duration_seconds")
        .help("Duration of the blocks metadata synchronization in seconds").classicOnly()
        .classicUpperBounds(DURATION_BOUNDS).withoutExemplars().register(registry);
    synced = Gauge.builder().name("thanos_blocks_meta_synced").help("Number of block metadata synced")
        .labelNames("state").register(registry);
    STATES.forEach(s -> synced.labelValues(s).set(0));
  }

  void started() {
    syncs.inc();
  }

  void failed(long startNanos) {
    failures.inc();
    duration.observe((System.nanoTime() - startNanos) / 1e9);
  }

  /** Records a completed sync: its duration, and how many blocks ended in each state. */
  void completed(MetaFetcher.FetchResult result, long startNanos) {
    duration.observe((System.nanoTime() - startNanos) / 1e9);
    Map<String, Long> counts = new HashMap<>();
    STATES.forEach(s -> counts.put(s, 0L));
    counts.put("loaded", (long) result.metas().size());
    counts.put("failed", (long) result.failed().size());
    counts.put("no-meta-json", (long) result.partial().size());
    result.filtered().values().forEach(reason -> counts.merge(reason, 1L, Long::sum));
    counts.forEach((state, n) -> synced.labelValues(state).set(n));
  }
}
