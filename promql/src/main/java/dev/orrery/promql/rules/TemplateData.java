package dev.orrery.promql.rules;

import java.util.Map;

/**
 * The dot of an alert template: Prometheus' {@code AlertTemplateData} ({@code .Labels}, {@code .ExternalLabels},
 * {@code .Value}). The maps are the caller's, read only.
 */
record TemplateData(Map<String, String> labels, Map<String, String> externalLabels, double value) {}
