package dev.orrery.core.storage;

import static java.util.Objects.requireNonNull;

import dev.orrery.core.labels.Labels;
import java.time.Instant;
import java.util.List;

/**
 * What a querier knows of one of its store endpoints, as Thanos' {@code /api/v1/stores} shows it. Immutable.
 *
 * @param name the endpoint's address as configured
 * @param componentType what its {@code Info} says it is: {@code sidecar}, {@code store}, {@code rule}, {@code query},
 *     ...
 * @param lastCheck when its {@code Info} was last asked
 * @param lastError why that failed, or {@code null} when it answered (the other fields are then from the last answer)
 * @param labelSets its external label sets
 * @param minTimeMillis the oldest data it has
 * @param maxTimeMillis the newest data it has
 */
public record StoreStatus(String name, String componentType, Instant lastCheck, String lastError,
    List<Labels> labelSets, long minTimeMillis, long maxTimeMillis) {
  /** Checks and copies. */
  public StoreStatus {
    requireNonNull(name, "name is null");
    requireNonNull(componentType, "componentType is null");
    requireNonNull(lastCheck, "lastCheck is null");
    labelSets = List.copyOf(labelSets);
  }
}
