package dev.orrery.core.storage;

import java.util.List;

/**
 * What a query intends to do with the series it selects, so that stores can prune and pick resolutions (Prometheus'
 * {@code storage.SelectHints} plus the options a Thanos querier carries down to its stores). Immutable.
 *
 * @param startMillis first timestamp needed (inclusive)
 * @param endMillis last timestamp needed (inclusive)
 * @param stepMillis query step, 0 for instant queries
 * @param function the PromQL function around the selector, or {@code ""}
 * @param rangeMillis the range of a range selector, 0 for instant selectors
 * @param grouping {@code by}/{@code without} labels of the enclosing aggregation
 * @param by true for {@code by}, false for {@code without}
 * @param dedup whether replicas are deduplicated
 * @param replicaLabels labels that identify replicas, removed when deduplicating
 * @param partialResponse whether a failing store turns into a warning instead of an error
 * @param maxSourceResolutionMillis coarsest downsampling resolution acceptable, 0 for raw only
 */
public record SelectHints(
    long startMillis,
    long endMillis,
    long stepMillis,
    String function,
    long rangeMillis,
    List<String> grouping,
    boolean by,
    boolean dedup,
    List<String> replicaLabels,
    boolean partialResponse,
    long maxSourceResolutionMillis) {

  /** Copies the lists so the record stays immutable. */
  public SelectHints {
    grouping = List.copyOf(grouping);
    replicaLabels = List.copyOf(replicaLabels);
  }

  /** Hints that only bound the time range. */
  public static SelectHints ofRange(long startMillis, long endMillis) {
    return new SelectHints(startMillis, endMillis, 0, "", 0, List.of(), false, true, List.of(), true, 0);
  }

  /** This with another time range. */
  public SelectHints withRange(long newStartMillis, long newEndMillis) {
    return new SelectHints(newStartMillis, newEndMillis, stepMillis, function, rangeMillis, grouping, by, dedup,
        replicaLabels, partialResponse, maxSourceResolutionMillis);
  }
}
