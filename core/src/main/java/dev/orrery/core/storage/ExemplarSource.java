package dev.orrery.core.storage;

/**
 * Exemplars of the series a query selects. Blocks carry none; a sidecar asks its Prometheus, and a querier merges
 * what its stores answer. Implementations are thread-safe.
 */
@FunctionalInterface
public interface ExemplarSource {
  /** A source without exemplars. */
  ExemplarSource NONE = (query, options) -> ExemplarSet.EMPTY;

  /**
   * The exemplars in the query's range of the series its selectors pick.
   *
   * @param options per-query store options: under {@link StoreOptions#partialResponse()} a store that fails becomes
   *     a warning instead of an error; a querier drops {@link StoreOptions#replicaLabels()} from series labels and
   *     merges the series that then have the same labels
   * @throws dev.orrery.core.OrreryException when a store fails and partial response is off
   */
  ExemplarSet exemplars(ExemplarQuery query, StoreOptions options);
}
