/**
 * Rule groups as the rules API shows them ({@code /api/v1/rules}, {@code /api/v1/alerts} and Thanos' Rules gRPC
 * API): {@link dev.orrery.core.rules.RuleGroupStatus} with recording and alerting rule states, the filters Prometheus'
 * API takes ({@link dev.orrery.core.rules.RulesFilter}), the {@link dev.orrery.core.rules.RuleGroupsSource} that a
 * ruler, a sidecar or a querier implements, and the merge of several sources' groups with replica deduplication
 * ({@link dev.orrery.core.rules.RuleGroupsMerge}).
 */
package dev.orrery.core.rules;
