/**
 * Scrape targets as Prometheus' {@code /api/v1/targets} and Thanos' Targets gRPC API show them: {@link
 * dev.orrery.core.targets.TargetDiscovery} with active and dropped targets, the {@link
 * dev.orrery.core.targets.TargetsSource} a sidecar or a querier implements, and the merge of several sources' targets
 * with replica deduplication.
 */
package dev.orrery.core.targets;
