package dev.orrery.promql.http;

import java.time.Duration;

/**
 * Per-request settings of a query, from the request's {@code timeout} and {@code lookback_delta} parameters.
 * Immutable.
 *
 * @param timeout the request's timeout, or {@code null} to use only the engine's own; the effective timeout is the
 *     smaller of the two, as Prometheus' context deadline and engine timeout combine
 * @param lookbackDelta the request's lookback delta, or {@code null} for the engine's default
 */
public record QueryOptions(Duration timeout, Duration lookbackDelta) {
  /** No per-request settings. */
  public static final QueryOptions DEFAULT = new QueryOptions(null, null);
}
