/**
 * Recording and alerting rules (the ruler, ARCHITECTURE.md step 6).
 *
 * <ul>
 *   <li>{@link dev.orrery.promql.rules.RuleFiles} reads Prometheus rule files into {@link
 *       dev.orrery.promql.rules.RuleGroup}s of {@link dev.orrery.promql.rules.RecordingRule}s and {@link
 *       dev.orrery.promql.rules.AlertingRule}s, checked as Prometheus checks them (with Prometheus 3's {@code
 *       query_offset} and group {@code labels}, and Thanos' {@code partial_response_strategy}).
 *   <li>{@link dev.orrery.promql.rules.RuleManager} evaluates the groups through a {@link
 *       dev.orrery.promql.rules.RuleQuery} (the engine here, or a querier's HTTP API with {@link
 *       dev.orrery.promql.rules.PrometheusApiRuleQuery}), keeps alert state (pending, firing, resolved) across
 *       reloads, stores results and {@code ALERTS} series in a {@link dev.orrery.promql.rules.RuleStorage}
 *       (queryable; durable through a Prometheus-format WAL; written out as blocks, which it keeps serving for the
 *       retention), and serves {@code /api/v1/rules} and {@code /api/v1/alerts}.
 *   <li>{@link dev.orrery.promql.rules.AlertTemplate} expands the Go {@code text/template} subset that alert labels
 *       and annotations use ({@code {{ $labels.instance }}}, {@code {{ $value | humanize }}}, ...).
 *   <li>{@link dev.orrery.promql.rules.AlertmanagerNotifier} sends alerts to Alertmanager's v2 API as Prometheus'
 *       notifier does.
 * </ul>
 */
@NullMarked
package dev.orrery.promql.rules;

import org.jspecify.annotations.NullMarked;
