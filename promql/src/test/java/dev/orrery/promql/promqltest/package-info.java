/**
 * The runner for Prometheus' PromQL test DSL ({@code shared/promql-tests}): script parsing, an in-memory storage
 * that reproduces what Prometheus' TSDB returns (counter reset hints included), result comparison with Prometheus'
 * tolerances, and the known-failures list.
 */
package dev.orrery.promql.promqltest;
