/**
 * Native histogram arithmetic for PromQL over {@link dev.orrery.core.histogram.FloatHistogram} values: addition and
 * subtraction across schemas and zero thresholds, scaling, compaction, schema reduction, counter-reset detection,
 * bucket bounds, quantiles, fractions and the statistics functions. Every operation returns a new value and leaves its
 * inputs untouched; all classes are stateless and thread-safe. Semantics follow Prometheus'
 * {@code model/histogram/float_histogram.go} and {@code promql/quantile.go}.
 */
package dev.orrery.promql.histogram;
