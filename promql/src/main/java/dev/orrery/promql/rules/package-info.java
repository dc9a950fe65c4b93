/**
 * Recording and alerting rules (the ruler, ARCHITECTURE.md step 6).
 *
 * <ul>
 *   <li>{@link dev.orrery.promql.rules.RuleFiles} reads Prometheus rule files into {@link
 *       dev.orrery.promql.rules.RuleGroup}s of {@link dev.orrery.promql.rules.RecordingRule}s and {@link
 *       dev.orrery.promql.rules.AlertingRule}s, checked as Prometheus checks them.
 *   <li>{@link dev.orrery.promql.rules.RuleManager} evaluates the groups with the engine, keeps alert state (pending,
 *       firing, resolved), stores results and {@code ALERTS} series in a {@link dev.orrery.promql.rules.RuleStorage}
 *       (queryable, written out as blocks), and serves {@code /api/v1/rules} and {@code /api/v1/alerts}.
 *   <li>{@link dev.orrery.promql.rules.AlertTemplate} expands the Go {@code text/template} subset that alert labels
 *       and annotations use ({@code {{ $labels.instance }}}, {@code {{ $value | humanize }}}, ...).
 *   <li>{@link dev.orrery.promql.rules.AlertmanagerNotifier} sends alerts to Alertmanager's v2 API as Prometheus'
 *       notifier does.
 * </ul>
 */
@NullMarked
package dev.orrery.promql.rules;

import org.jspecify.annotations.NullMarked;
