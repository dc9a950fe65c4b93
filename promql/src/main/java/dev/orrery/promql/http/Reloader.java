package dev.orrery.promql.http;

/**
 * What {@code POST /-/reload} of a {@link PrometheusApiHandler} runs, as Prometheus' and Thanos' lifecycle endpoint
 * does: typically reading configuration or rule files again and applying them.
 */
@FunctionalInterface
public interface Reloader {
  /**
   * Reloads, on the request's thread; the request is answered when it returns.
   *
   * @throws Exception if the reload failed (and what was loaded before stays in force): the request is answered 500
   *     with the exception's message
   */
  void reload() throws Exception;
}
