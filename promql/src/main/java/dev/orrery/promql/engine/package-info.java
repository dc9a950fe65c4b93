/**
 * The PromQL engine's public face: build an {@link dev.orrery.promql.engine.Engine}, create an instant or range
 * {@link dev.orrery.promql.engine.Query} over any {@link dev.orrery.core.storage.Queryable}, and read its
 * {@link dev.orrery.promql.engine.QueryResult} with the {@link dev.orrery.promql.engine.Annotations} Prometheus would
 * report. Failures are {@link dev.orrery.promql.engine.QueryException}s whose {@link
 * dev.orrery.promql.engine.QueryException.ErrorType} maps onto the HTTP API's error types.
 */
package dev.orrery.promql.engine;
