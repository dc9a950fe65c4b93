package dev.orrery.promql.http;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Summary;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The HTTP server metric families of Thanos' components ({@code extprom/http}), with their names, labels ({@code
 * code}, {@code handler}, {@code method} in lower case) and duration buckets, so the Thanos mixin's dashboards work:
 *
 * <table>
 *   <caption>Metrics</caption>
 *   <tr><td>{@code http_requests_total}</td><td>counter: requests handled</td></tr>
 *   <tr><td>{@code http_request_duration_seconds}</td><td>histogram: time until the response was complete</td></tr>
 *   <tr><td>{@code http_request_size_bytes}</td><td>summary (count and sum): approximate request size, computed as
 *       Go's {@code promhttp} does (request line, headers, host and body length)</td></tr>
 *   <tr><td>{@code http_response_size_bytes}</td><td>summary (count and sum): body bytes written</td></tr>
 * </table>
 *
 * <p>Thread-safe.
 */
public final class HttpServerMetrics {
  /** Thanos' default duration buckets for HTTP handlers. */
  private static final double[] DURATION_BOUNDS =
      {0.001, 0.01, 0.1, 0.3, 0.6, 1, 3, 6, 9, 20, 30, 60, 90, 120, 240, 360, 720};

  private final Counter requests;
  private final Histogram duration;
  private final Summary requestSize;
  private final Summary responseSize;

  private HttpServerMetrics(PrometheusRegistry registry) {
    requests = Counter.builder().name("http_requests_total").help("Tracks the number of HTTP requests.")
        .labelNames("code", "handler", "method").register(registry);
    duration = Histogram.builder().name("http_request_duration_seconds").help("Tracks the latencies for HTTP requests.")
        .labelNames("code", "handler", "method").classicOnly().classicUpperBounds(DURATION_BOUNDS).withoutExemplars()
        .register(registry);
    requestSize = Summary.builder().name("http_request_size_bytes").help("Tracks the size of HTTP requests.")
        .labelNames("code", "handler", "method").withoutExemplars().register(registry);
    responseSize = Summary.builder().name("http_response_size_bytes").help("Tracks the size of HTTP responses.")
        .labelNames("code", "handler", "method").withoutExemplars().register(registry);
  }

  /**
   * Registers the families with {@code registry}; one instance per registry, shared by every instrumented handler.
   *
   * @throws IllegalArgumentException if the registry already has them
   */
  public static HttpServerMetrics register(PrometheusRegistry registry) {
    return new HttpServerMetrics(registry);
  }

  /** Records one completed request. */
  void observe(String handler, String method, int status, double seconds, long requestBytes, long responseBytes) {
    String code = Integer.toString(status);
    requests.labelValues(code, handler, method).inc();
    duration.labelValues(code, handler, method).observe(seconds);
    requestSize.labelValues(code, handler, method).observe(requestBytes);
    responseSize.labelValues(code, handler, method).observe(responseBytes);
  }
}
