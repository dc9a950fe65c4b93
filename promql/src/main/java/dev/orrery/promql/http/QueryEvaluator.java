package dev.orrery.promql.http;

import dev.orrery.promql.engine.QueryResult;

/**
 * Runs the PromQL of {@code /api/v1/query} and {@code /api/v1/query_range}. {@link EngineQueryEvaluator} runs Orrery's
 * engine over a {@link dev.orrery.core.storage.Queryable}; tests and other back ends provide their own.
 *
 * <p>Failures are reported as Prometheus' error types: a {@link dev.orrery.promql.parser.PromqlParseException} or a
 * {@link dev.orrery.promql.engine.QueryException} of type {@code BAD_DATA} for a malformed query (answered as
 * {@code invalid parameter "query": ...}), other {@code QueryException}s with their type. Implementations must be
 * thread-safe: the handler calls them from many request threads.
 */
public interface QueryEvaluator {
  /**
   * Evaluates {@code query} at one instant.
   *
   * @param timeMillis the evaluation time, Unix ms
   * @param options per-request settings from the request's parameters
   */
  QueryResult instantQuery(String query, long timeMillis, QueryOptions options);

  /**
   * Evaluates {@code query} at every step from {@code startMillis} to {@code endMillis} inclusive; the result is a
   * matrix (or a scalar/vector turned into one, as Prometheus does).
   */
  QueryResult rangeQuery(String query, long startMillis, long endMillis, long stepMillis, QueryOptions options);
}
