/**
 * PromQL function kernels over primitive arrays: the range functions ({@code rate}, {@code *_over_time},
 * {@code deriv}, ...) evaluated on one series' window of samples, float quantiles, compensated (Kahan-Neumaier)
 * summation, classic-bucket {@code histogram_quantile} and the label and math functions. Kernels are stateless and
 * thread-safe; they never allocate per float sample. Semantics follow Prometheus 3's {@code promql/functions.go} and
 * {@code promql/quantile.go}.
 */
package dev.orrery.promql.function;
