package dev.orrery.promql.http;

import dev.orrery.core.storage.StoreOptions;
import java.time.Duration;
import java.util.Objects;

/**
 * Per-request settings of a query, from the request's {@code timeout} and {@code lookback_delta} parameters and the
 * Thanos querier's {@code dedup}, {@code replicaLabels[]}, {@code partial_response} and
 * {@code max_source_resolution}. Immutable.
 *
 * @param timeout the request's timeout, or {@code null} to use only the engine's own; the effective timeout is the
 *     smaller of the two, as Prometheus' context deadline and engine timeout combine
 * @param lookbackDelta the request's lookback delta, or {@code null} for the engine's default
 * @param store options carried down to the stores in every select's hints
 */
public record QueryOptions(Duration timeout, Duration lookbackDelta, StoreOptions store) {
  /** No per-request settings. */
  public static final QueryOptions DEFAULT = new QueryOptions(null, null, StoreOptions.NONE);

  /** Checks that {@code store} is given. */
  public QueryOptions {
    Objects.requireNonNull(store, "store is null");
  }

  /** Settings without store options. */
  public QueryOptions(Duration timeout, Duration lookbackDelta) {
    this(timeout, lookbackDelta, StoreOptions.NONE);
  }
}
