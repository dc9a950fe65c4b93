package dev.orrery.promql.engine;

import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Summary;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The engine's metric families, named as Prometheus' engine names them: {@code prometheus_engine_queries} (queries
 * executing or waiting for a slot), {@code prometheus_engine_queries_concurrent_max} (the gate's size, -1 for none)
 * and {@code prometheus_engine_query_duration_seconds{slice}} with the slices {@code queue_time} (waiting for a slot)
 * and {@code inner_eval} (planning and evaluation). Thread-safe.
 */
final class EngineMetrics {
  final Gauge queries;
  private final Summary duration;

  /**
   * @param registry where to register
   * @param maxConcurrentQueries the gate's size, 0 for none
   */
  EngineMetrics(PrometheusRegistry registry, int maxConcurrentQueries) {
    queries = Gauge.builder().name("prometheus_engine_queries")
        .help("The current number of queries being executed or waiting.").register(registry);
    Gauge.builder().name("prometheus_engine_queries_concurrent_max")
        .help("The max number of concurrent queries.").register(registry)
        .set(maxConcurrentQueries == 0 ? -1 : maxConcurrentQueries);
    duration = Summary.builder().name("prometheus_engine_query_duration_seconds")
        .help("Query timings").labelNames("slice").quantile(0.5, 0.05).quantile(0.9, 0.01).quantile(0.99, 0.001)
        .withoutExemplars().register(registry);
    duration.labelValues("queue_time");
    duration.labelValues("inner_eval");
  }

  void observeQueueTime(long nanos) {
    duration.labelValues("queue_time").observe(nanos / 1e9);
  }

  void observeInnerEval(long nanos) {
    duration.labelValues("inner_eval").observe(nanos / 1e9);
  }
}
