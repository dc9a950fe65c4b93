package dev.orrery.promql.rules;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Summary;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.jspecify.annotations.Nullable;

/**
 * The rule manager's metric families, named, labelled ({@code rule_group} = {@code <file>;<group>}) and described as
 * Prometheus' rule manager exposes them, so dashboards and alerts written for Prometheus and the Thanos ruler (for
 * example "rule group evaluation slower than its interval") work unchanged. Kept in a registry of their own when none
 * is given, so the manager records into them either way. Thread-safe.
 */
final class RuleMetrics {
  final Summary evaluationDuration;
  final Summary groupDuration;
  final Counter iterationsMissed;
  final Counter iterationsScheduled;
  final Counter evaluations;
  final Counter evaluationFailures;
  final Gauge groupInterval;
  final Gauge groupLastEvaluation;
  final Gauge groupLastDuration;
  final Gauge groupRules;
  final Gauge groupLastSamples;

  /** @param registryOrNull where to register; {@code null} keeps the metrics in a registry of their own */
  RuleMetrics(@Nullable PrometheusRegistry registryOrNull) {
    PrometheusRegistry registry = registryOrNull == null ? new PrometheusRegistry() : registryOrNull;
    evaluationDuration = Summary.builder().name("prometheus_rule_evaluation_duration_seconds")
        .help("The duration for a rule to execute.").quantile(0.5, 0.05).quantile(0.9, 0.01).quantile(0.99, 0.001)
        .withoutExemplars().register(registry);
    groupDuration = Summary.builder().name("prometheus_rule_group_duration_seconds")
        .help("The duration of rule group evaluations.").quantile(0.01, 0.001).quantile(0.05, 0.005)
        .quantile(0.5, 0.05).quantile(0.9, 0.01).quantile(0.99, 0.001).withoutExemplars().register(registry);
    iterationsMissed = Counter.builder().name("prometheus_rule_group_iterations_missed_total")
        .help("The total number of rule group evaluations missed due to slow rule group evaluation.")
        .labelNames("rule_group").register(registry);
    iterationsScheduled = Counter.builder().name("prometheus_rule_group_iterations_total")
        .help("The total number of scheduled rule group evaluations, whether executed or missed.")
        .labelNames("rule_group").register(registry);
    evaluations = Counter.builder().name("prometheus_rule_evaluations_total")
        .help("The total number of rule evaluations.").labelNames("rule_group").register(registry);
    evaluationFailures = Counter.builder().name("prometheus_rule_evaluation_failures_total")
        .help("The total number of rule evaluation failures.").labelNames("rule_group").register(registry);
    groupInterval = Gauge.builder().name("prometheus_rule_group_interval_seconds")
        .help("The interval of a rule group.").labelNames("rule_group").register(registry);
    groupLastEvaluation = Gauge.builder().name("prometheus_rule_group_last_evaluation_timestamp_seconds")
        .help("The timestamp of the last rule group evaluation in seconds.").labelNames("rule_group")
        .register(registry);
    groupLastDuration = Gauge.builder().name("prometheus_rule_group_last_duration_seconds")
        .help("The duration of the last rule group evaluation.").labelNames("rule_group").register(registry);
    groupRules = Gauge.builder().name("prometheus_rule_group_rules")
        .help("The number of rules.").labelNames("rule_group").register(registry);
    groupLastSamples = Gauge.builder().name("prometheus_rule_group_last_evaluation_samples")
        .help("The number of samples returned during the last rule group evaluation.")
        .labelNames("rule_group").register(registry);
  }

  /** Prometheus' {@code rule_group} label value. */
  static String groupKey(RuleGroup group) {
    return group.file() + ";" + group.name();
  }

  /** Sets the gauges that describe a group as loaded. */
  void loaded(RuleGroup group) {
    String key = groupKey(group);
    groupInterval.labelValues(key).set(group.interval().toNanos() / 1e9);
    groupRules.labelValues(key).set(group.rules().size());
    // Counters start at 0, so that rates over them are defined from the first evaluation on.
    iterationsMissed.labelValues(key);
    iterationsScheduled.labelValues(key);
    evaluations.labelValues(key);
    evaluationFailures.labelValues(key);
  }

  /** Removes the series of a group that is no longer loaded, as Prometheus does. */
  void removed(RuleGroup group) {
    String key = groupKey(group);
    for (Counter c : new Counter[] {iterationsMissed, iterationsScheduled, evaluations, evaluationFailures}) {
      c.remove(key);
    }
    for (Gauge g : new Gauge[] {groupInterval, groupLastEvaluation, groupLastDuration, groupRules, groupLastSamples}) {
      g.remove(key);
    }
  }

}
