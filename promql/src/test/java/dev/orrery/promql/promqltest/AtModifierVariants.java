package dev.orrery.promql.promqltest;

import java.util.List;

/**
 * Prometheus' {@code atModifierTestCases}: an instant query re-run with {@code @ <eval time>} set on every selector
 * and subquery that has none, at several other evaluation times, must give the same result.
 */
final class AtModifierVariants {
  private AtModifierVariants() {}

  /** A query string and the time to evaluate it at. */
  record Variant(String expr, long evalMillis) {}

  static List<Variant> of(String expr, long evalMillis) {
    return List.of();
  }
}
