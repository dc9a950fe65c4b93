package dev.orrery.promql.http;

import dev.orrery.core.storage.Queryable;
import dev.orrery.promql.engine.Engine;
import dev.orrery.promql.engine.Query;
import dev.orrery.promql.engine.QueryResult;
import java.time.Duration;
import java.util.Objects;

/**
 * Runs API queries on Orrery's {@link Engine} over one {@link Queryable}. A request's {@code timeout} can only shorten
 * the engine's timeout, as a request context's deadline does in Prometheus; its {@code lookback_delta} replaces the
 * engine's. Thread-safe.
 */
public final class EngineQueryEvaluator implements QueryEvaluator {
  private final Engine engine;
  private final Queryable queryable;
  private final Duration engineTimeout;

  /**
   * Evaluates on {@code engine} over {@code queryable}.
   *
   * @param engineTimeout the timeout {@code engine} was built with ({@link Duration#ZERO} for none), the ceiling of
   *     per-request timeouts
   */
  public EngineQueryEvaluator(Engine engine, Queryable queryable, Duration engineTimeout) {
    this.engine = Objects.requireNonNull(engine, "engine is null");
    this.queryable = Objects.requireNonNull(queryable, "queryable is null");
    this.engineTimeout = Objects.requireNonNull(engineTimeout, "engineTimeout is null");
    if (engineTimeout.isNegative()) {
      throw new IllegalArgumentException("engineTimeout must not be negative: " + engineTimeout);
    }
  }

  @Override
  public QueryResult instantQuery(String query, long timeMillis, QueryOptions options) {
    try (Query q = engineFor(options).instantQuery(options.store().applyTo(queryable), query, timeMillis)) {
      return q.execute();
    }
  }

  @Override
  public QueryResult rangeQuery(String query, long startMillis, long endMillis, long stepMillis,
      QueryOptions options) {
    try (Query q = engineFor(options).rangeQuery(options.store().applyTo(queryable), query, startMillis, endMillis,
        stepMillis)) {
      return q.execute();
    }
  }

  private Engine engineFor(QueryOptions options) {
    if (options.timeout() == null && options.lookbackDelta() == null) {
      return engine;
    }
    Engine.Builder b = engine.newBuilder();
    Duration timeout = options.timeout();
    if (timeout != null && (engineTimeout.isZero() || timeout.compareTo(engineTimeout) < 0)) {
      // A zero or negative request timeout has already expired: the smallest positive one fails at the first check.
      b.timeout(timeout.isNegative() || timeout.isZero() ? Duration.ofNanos(1) : timeout);
    }
    if (options.lookbackDelta() != null && options.lookbackDelta().isPositive()) {
      b.lookbackDelta(options.lookbackDelta());
    }
    return b.build();
  }
}
