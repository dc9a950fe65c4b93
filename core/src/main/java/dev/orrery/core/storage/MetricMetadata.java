package dev.orrery.core.storage;

import static java.util.Objects.requireNonNull;

/**
 * What a scrape target says about a metric family, as Prometheus' {@code /api/v1/metadata} reports it.
 *
 * @param type the metric type as Prometheus names it ({@code counter}, {@code gauge}, {@code histogram},
 *     {@code gaugehistogram}, {@code summary}, {@code info}, {@code stateset} or {@code unknown})
 * @param help the help text
 * @param unit the unit, often empty
 */
public record MetricMetadata(String type, String help, String unit) {
  /** Checks that no field is null. */
  public MetricMetadata {
    requireNonNull(type, "type is null");
    requireNonNull(help, "help is null");
    requireNonNull(unit, "unit is null");
  }
}
