package dev.orrery.core.rules;

import dev.orrery.core.storage.StoreOptions;

/**
 * Rule groups with their state: a ruler's own, a Prometheus' (through a sidecar), or every store's merged (a
 * querier). Implementations are thread-safe.
 */
@FunctionalInterface
public interface RuleGroupsSource {
  /** A source without rules. */
  RuleGroupsSource NONE = (filter, options) -> RuleGroups.EMPTY;

  /**
   * The groups that pass {@code filter}.
   *
   * @param options per-query store options: under {@link StoreOptions#partialResponse()} a source that fails becomes
   *     a warning instead of an error; a querier drops {@link StoreOptions#replicaLabels()} from rules and keeps one
   *     of each set of replicas' rules
   * @throws dev.orrery.core.OrreryException when a source fails and partial response is off
   */
  RuleGroups ruleGroups(RulesFilter filter, StoreOptions options);
}
