package dev.orrery.promql.rules;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.jspecify.annotations.Nullable;

/**
 * The {@link AlertmanagerNotifier}'s metric families, named as the Thanos ruler's alert queue and sender name them
 * ({@code alertmanager} label: the Alertmanager's host and port), so the Thanos mixin's ruler alerts and dashboards
 * work unchanged. Kept in a registry of their own when none is given. Thread-safe.
 */
final class AlertSenderMetrics {
  /** Seconds; Thanos' buckets for alert sending latency. */
  private static final double[] LATENCY_BOUNDS = {0.001, 0.01, 0.1, 0.3, 0.6, 1, 3, 6, 9, 20, 30, 60, 90, 120};

  final Counter queuePushed;
  final Counter queuePopped;
  final Counter queueDropped;
  final Gauge queueCapacity;
  final Gauge queueLength;
  final Counter sent;
  final Counter errors;
  final Counter senderDropped;
  final Histogram latency;

  /** @param registryOrNull where to register; {@code null} keeps the metrics in a registry of their own */
  AlertSenderMetrics(@Nullable PrometheusRegistry registryOrNull) {
    PrometheusRegistry registry = registryOrNull == null ? new PrometheusRegistry() : registryOrNull;
    queuePushed = Counter.builder().name("thanos_alert_queue_alerts_pushed_total")
        .help("Total number of alerts pushed to the queue.").register(registry);
    queuePopped = Counter.builder().name("thanos_alert_queue_alerts_popped_total")
        .help("Total number of alerts popped from the queue.").register(registry);
    queueDropped = Counter.builder().name("thanos_alert_queue_alerts_dropped_total")
        .help("Total number of alerts that were dropped from the queue.").register(registry);
    queueCapacity = Gauge.builder().name("thanos_alert_queue_capacity").help("Capacity of the alert queue.")
        .register(registry);
    queueLength = Gauge.builder().name("thanos_alert_queue_length").help("Length of the alert queue.")
        .register(registry);
    sent = Counter.builder().name("thanos_alert_sender_alerts_sent_total")
        .help("Total number of alerts sent by alertmanager.").labelNames("alertmanager").register(registry);
    errors = Counter.builder().name("thanos_alert_sender_errors_total")
        .help("Total number of errors while sending alerts to alertmanager.").labelNames("alertmanager")
        .register(registry);
    senderDropped = Counter.builder().name("thanos_alert_sender_alerts_dropped_total")
        .help("Total number of alerts dropped in case of all sends to alertmanagers failed.").register(registry);
    latency = Histogram.builder().name("thanos_alert_sender_latency_seconds")
        .help("Latency for sending alert notifications (not including dropped notifications).")
        .labelNames("alertmanager").classicOnly().classicUpperBounds(LATENCY_BOUNDS).withoutExemplars()
        .register(registry);
  }
}
