/**
 * Recording and alerting rules (the ruler). {@link dev.orrery.promql.rules.AlertTemplate} expands the Go
 * {@code text/template} subset that Prometheus alert labels and annotations use ({@code {{ $labels.instance }}},
 * {@code {{ $value | humanize }}}, ...), and {@link dev.orrery.promql.rules.AlertmanagerNotifier} sends alerts to
 * Alertmanager's v2 API as Prometheus' notifier does.
 */
@NullMarked
package dev.orrery.promql.rules;

import org.jspecify.annotations.NullMarked;
