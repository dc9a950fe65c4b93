package dev.orrery.storeapi.gateway;

import dev.orrery.storeapi.gateway.IndexCache.Area;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Summary;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.function.IntSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The store gateway's metric families, named and labelled as Thanos' store gateway names them, so the Thanos mixin's
 * store dashboards and alerts work unchanged:
 *
 * <table>
 *   <caption>Metrics</caption>
 *   <tr><td>{@code thanos_bucket_store_blocks_loaded}</td><td>gauge: blocks served</td></tr>
 *   <tr><td>{@code thanos_bucket_store_block_loads_total}, {@code _block_load_failures_total}, {@code
 *       _block_drops_total}</td><td>counters: blocks added by a sync, blocks whose index-header could not be built,
 *       blocks removed</td></tr>
 *   <tr><td>{@code thanos_bucket_store_queries_dropped_total{reason}}</td><td>counter: Series requests refused by a
 *       limit ({@code series}, {@code chunks}, {@code bytes})</td></tr>
 *   <tr><td>{@code thanos_bucket_store_series_blocks_queried}, {@code _series_result_series}</td><td>summaries: blocks
 *       and series per Series request</td></tr>
 *   <tr><td>{@code thanos_bucket_store_series_data_size_touched_bytes{data_type}}, {@code
 *       _series_data_size_fetched_bytes{data_type}}</td><td>summaries: bytes of postings, series and chunks a request
 *       touched and fetched from the bucket</td></tr>
 *   <tr><td>{@code thanos_bucket_store_series_gate_queries_in_flight}, {@code _queries_max}, {@code
 *       _duration_seconds}</td><td>the concurrency gate: requests served now, the limit, time waited</td></tr>
 *   <tr><td>{@code thanos_store_index_cache_requests_total{item_type}}, {@code _hits_total}, {@code _items}, {@code
 *       _total_size_bytes}, {@code _max_size_bytes}</td><td>the postings and series page caches ({@code item_type}
 *       {@code Postings} or {@code Series})</td></tr>
 * </table>
 */
final class BucketStoreMetrics {
  /** Thanos' buckets for the gate's waiting time, in seconds. */
  private static final double[] GATE_BOUNDS = {0.01, 0.1, 0.3, 0.6, 1, 3, 6, 9, 20, 30, 60, 90, 120, 240, 360, 720};

  final Counter blockLoads;
  final Counter blockLoadFailures;
  final Counter blockDrops;
  final Counter queriesDropped;
  final Summary blocksQueried;
  final Summary resultSeries;
  final Summary touchedBytes;
  final Summary fetchedBytes;
  final Gauge gateInFlight;
  final Histogram gateDuration;

  /**
   * @param registryOrNull where to register; {@code null} keeps the metrics in a registry of their own
   * @param blocks the number of blocks served, read at each scrape
   * @param cache the store's index cache, read at each scrape
   * @param maxConcurrency the gate's limit ({@code 0}: none)
   */
  BucketStoreMetrics(@Nullable PrometheusRegistry registryOrNull, IntSupplier blocks, IndexCache cache,
      int maxConcurrency) {
    PrometheusRegistry registry = registryOrNull == null ? new PrometheusRegistry() : registryOrNull;
    GaugeWithCallback.builder().name("thanos_bucket_store_blocks_loaded").help("Number of currently loaded blocks.")
        .callback(cb -> cb.call(blocks.getAsInt())).register(registry);
    blockLoads = Counter.builder().name("thanos_bucket_store_block_loads_total")
        .help("Total number of remote block loading attempts.").register(registry);
    blockLoadFailures = Counter.builder().name("thanos_bucket_store_block_load_failures_total")
        .help("Total number of failed remote block loading attempts.").register(registry);
    blockDrops = Counter.builder().name("thanos_bucket_store_block_drops_total")
        .help("Total number of local blocks that were dropped.").register(registry);
    queriesDropped = Counter.builder().name("thanos_bucket_store_queries_dropped_total")
        .help("Number of queries that were dropped due to the limit.").labelNames("reason").register(registry);
    blocksQueried = Summary.builder().name("thanos_bucket_store_series_blocks_queried")
        .help("Number of blocks in a bucket store that were touched to satisfy a query.").withoutExemplars()
        .register(registry);
    resultSeries = Summary.builder().name("thanos_bucket_store_series_result_series")
        .help("Number of series observed in the final result of a query.").withoutExemplars().register(registry);
    touchedBytes = Summary.builder().name("thanos_bucket_store_series_data_size_touched_bytes")
        .help("Size of all items of a data type in a block were touched for a single series request.")
        .labelNames("data_type").withoutExemplars().register(registry);
    fetchedBytes = Summary.builder().name("thanos_bucket_store_series_data_size_fetched_bytes")
        .help("Size of all items of a data type in a block were fetched for a single series request.")
        .labelNames("data_type").withoutExemplars().register(registry);
    gateInFlight = Gauge.builder().name("thanos_bucket_store_series_gate_queries_in_flight")
        .help("Number of queries that are currently in flight.").register(registry);
    Gauge.builder().name("thanos_bucket_store_series_gate_queries_max")
        .help("Maximum number of concurrent queries.").register(registry).set(maxConcurrency);
    gateDuration = Histogram.builder().name("thanos_bucket_store_series_gate_duration_seconds")
        .help("How many seconds it took for queries to wait at the gate.").classicOnly()
        .classicUpperBounds(GATE_BOUNDS).withoutExemplars().register(registry);
    registerIndexCache(registry, cache);
  }

  private static void registerIndexCache(PrometheusRegistry registry, IndexCache cache) {
    CounterWithCallback.builder().name("thanos_store_index_cache_requests_total")
        .help("Total number of items requests to the cache.").labelNames("item_type")
        .callback(cb -> forEachArea((area, type) -> cb.call(cache.hits(area) + cache.misses(area), type)))
        .register(registry);
    CounterWithCallback.builder().name("thanos_store_index_cache_hits_total")
        .help("Total number of items requests to the cache that were a hit.").labelNames("item_type")
        .callback(cb -> forEachArea((area, type) -> cb.call(cache.hits(area), type))).register(registry);
    GaugeWithCallback.builder().name("thanos_store_index_cache_items")
        .help("Current number of items in the index cache.").labelNames("item_type")
        .callback(cb -> forEachArea((area, type) -> cb.call(cache.pages(area), type))).register(registry);
    GaugeWithCallback.builder().name("thanos_store_index_cache_total_size_bytes")
        .help("Current byte size of items (both value and key) in the index cache.").labelNames("item_type")
        .callback(cb -> forEachArea((area, type) -> cb.call(cache.weightedSize(area), type))).register(registry);
    GaugeWithCallback.builder().name("thanos_store_index_cache_max_size_bytes")
        .help("Maximum number of bytes to be held in the index cache.").labelNames("item_type")
        .callback(cb -> forEachArea((area, type) -> cb.call(cache.capacity(area), type))).register(registry);
  }

  /** Thanos' {@code item_type} of each cache area. */
  private static void forEachArea(java.util.function.BiConsumer<Area, String> action) {
    action.accept(Area.POSTINGS, "Postings");
    action.accept(Area.SERIES, "Series");
  }

  /** Records what one finished Series request touched and fetched. */
  void requestServed(int blocks, long series, RequestStats stats) {
    blocksQueried.observe(blocks);
    resultSeries.observe(series);
    touchedBytes.labelValues("postings").observe(stats.postingsTouchedBytes.get());
    touchedBytes.labelValues("series").observe(stats.seriesTouchedBytes.get());
    touchedBytes.labelValues("chunks").observe(stats.chunksTouchedBytes.get());
    fetchedBytes.labelValues("postings").observe(stats.postingsFetchedBytes.get());
    fetchedBytes.labelValues("series").observe(stats.seriesFetchedBytes.get());
    fetchedBytes.labelValues("chunks").observe(stats.chunksFetchedBytes.get());
  }
}
