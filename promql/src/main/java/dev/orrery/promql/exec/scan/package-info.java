/**
 * Operators that read series: instant vector selectors with lookback and staleness, range windows over matrix
 * selectors and subqueries, and the range-function operator that runs a {@link dev.orrery.promql.function.RangeKernel}
 * per series and step.
 */
package dev.orrery.promql.exec.scan;
