package dev.orrery.core.targets;

import dev.orrery.core.storage.StoreOptions;

/** Scrape targets: a Prometheus' (through a sidecar), or every store's merged (a querier). Thread-safe. */
@FunctionalInterface
public interface TargetsSource {
  /** A source without targets. */
  TargetsSource NONE = (state, options) -> TargetDiscovery.EMPTY;

  /**
   * The targets in {@code state}.
   *
   * @param state {@code active} or {@code dropped} for those only, or {@code null} for both
   * @param options per-query store options: under {@link StoreOptions#partialResponse()} a source that fails becomes
   *     a warning instead of an error; a querier drops {@link StoreOptions#replicaLabels()} and shows replicas'
   *     targets once
   * @throws dev.orrery.core.OrreryException when a source fails and partial response is off
   */
  TargetDiscovery targets(String state, StoreOptions options);
}
