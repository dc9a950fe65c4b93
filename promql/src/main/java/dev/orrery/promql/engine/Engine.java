package dev.orrery.promql.engine;

import dev.orrery.core.storage.Queryable;
import dev.orrery.promql.ast.Expr;
import dev.orrery.promql.parser.PromqlParseException;
import dev.orrery.promql.parser.PromqlParser;
import dev.orrery.promql.plan.Optimizer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The PromQL engine: evaluates instant and range queries over any {@link Queryable} with Prometheus 3 semantics
 * (lookback delta, staleness, left-open range windows, {@code @} and {@code offset}, subqueries, delayed name removal,
 * annotations). Immutable and thread-safe; build one and share it.
 *
 * {@snippet :
 * Engine engine = Engine.builder().lookbackDelta(Duration.ofMinutes(5)).timeout(Duration.ofMinutes(2)).build();
 * try (Query q = engine.rangeQuery(queryable, "sum by (job) (rate(http_requests_total[5m]))", start, end, 15_000)) {
 *   QueryResult result = q.execute();
 * }
 * }
 */
public final class Engine {
  /** Prometheus' limit on points per series of a range query. */
  public static final int MAX_POINTS_PER_SERIES = 11_000;

  private final Settings settings;
  private final java.util.concurrent.Semaphore gate;

  private Engine(Settings settings) {
    this.settings = settings;
    this.gate = settings.maxConcurrentQueries() > 0
        ? new java.util.concurrent.Semaphore(settings.maxConcurrentQueries(), true) : null;
  }

  /** A builder with Prometheus' defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this engine's settings. */
  public Builder newBuilder() {
    Builder b = new Builder();
    b.lookbackDeltaMillis = settings.lookbackDeltaMillis;
    b.maxSamples = settings.maxSamples;
    b.timeoutNanos = settings.timeoutNanos;
    b.defaultSubqueryStepMillis = settings.defaultSubqueryStepMillis;
    b.optimizers = settings.optimizers;
    b.useStartTimestamps = settings.useStartTimestamps;
    b.executor = settings.executor;
    b.maxConcurrentQueries = settings.maxConcurrentQueries;
    b.maxSeries = settings.maxSeries;
    b.metrics = settings.metrics;
    return b;
  }

  /**
   * An instant query of {@code expr} at {@code timeMillis}.
   *
   * @throws QueryException of type {@code bad_data} when {@code expr} does not parse (with the parser's message)
   */
  public Query instantQuery(Queryable queryable, String expr, long timeMillis) {
    return new Query(settings, gate, Objects.requireNonNull(queryable, "queryable is null"), expr, parse(expr),
        timeMillis, timeMillis, 0);
  }

  /** An instant query of an already parsed expression. */
  public Query instantQuery(Queryable queryable, Expr expr, long timeMillis) {
    return new Query(settings, gate, Objects.requireNonNull(queryable, "queryable is null"), "", expr, timeMillis,
        timeMillis, 0);
  }

  /**
   * A range query of {@code expr} from {@code startMillis} to {@code endMillis} every {@code stepMillis}.
   *
   * @throws QueryException of type {@code bad_data} when {@code expr} does not parse, the step is not positive, end
   *     is before start, or the query would have more than {@value #MAX_POINTS_PER_SERIES} points per series
   */
  public Query rangeQuery(Queryable queryable, String expr, long startMillis, long endMillis, long stepMillis) {
    checkRange(startMillis, endMillis, stepMillis);
    return new Query(settings, gate, Objects.requireNonNull(queryable, "queryable is null"), expr, parse(expr),
        startMillis, endMillis, stepMillis);
  }

  /** A range query of an already parsed expression. */
  public Query rangeQuery(Queryable queryable, Expr expr, long startMillis, long endMillis, long stepMillis) {
    checkRange(startMillis, endMillis, stepMillis);
    return new Query(settings, gate, Objects.requireNonNull(queryable, "queryable is null"), "", expr, startMillis,
        endMillis, stepMillis);
  }

  private static void checkRange(long startMillis, long endMillis, long stepMillis) {
    if (stepMillis <= 0) {
      throw QueryException.badData("zero or negative query resolution step widths are not accepted. Try a positive "
          + "integer");
    }
    if (endMillis < startMillis) {
      throw QueryException.badData("end timestamp must not be before start time");
    }
    if ((endMillis - startMillis) / stepMillis > MAX_POINTS_PER_SERIES) {
      throw QueryException.badData("exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the "
          + "query resolution (?step=XX)");
    }
  }

  private static Expr parse(String expr) {
    Objects.requireNonNull(expr, "expr is null");
    try {
      return PromqlParser.parse(expr);
    } catch (PromqlParseException e) {
      throw new QueryException(QueryException.ErrorType.BAD_DATA, e.getMessage(), e);
    }
  }

  /** The engine's configuration. */
  record Settings(long lookbackDeltaMillis, long maxSamples, long timeoutNanos, long defaultSubqueryStepMillis,
      List<Optimizer> optimizers, boolean useStartTimestamps, java.util.concurrent.Executor executor,
      int maxConcurrentQueries, long maxSeries, @Nullable EngineMetrics metrics) {}

  /** Configures an {@link Engine}. Not thread-safe. */
  public static final class Builder {
    private long lookbackDeltaMillis = 5 * 60_000;
    private long maxSamples = 50_000_000;
    private long timeoutNanos = Duration.ofMinutes(2).toNanos();
    private long defaultSubqueryStepMillis = 60_000;
    private List<Optimizer> optimizers = Optimizer.defaults();
    private boolean useStartTimestamps;
    private java.util.concurrent.Executor executor;
    private int maxConcurrentQueries = 20;
    private long maxSeries;
    private @Nullable EngineMetrics metrics;

    private Builder() {}

    /** How far back an instant selector looks for a sample (default 5m). */
    public Builder lookbackDelta(Duration d) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("lookback delta must be positive: " + d);
      }
      lookbackDeltaMillis = d.toMillis();
      return this;
    }

    /** The most samples a query may hold in memory (default 50,000,000); 0 for no limit. */
    public Builder maxSamples(long n) {
      if (n < 0) {
        throw new IllegalArgumentException("max samples must not be negative: " + n);
      }
      maxSamples = n;
      return this;
    }

    /** How long a query may run (default 2m); zero for no limit. */
    public Builder timeout(Duration d) {
      if (d.isNegative()) {
        throw new IllegalArgumentException("timeout must not be negative: " + d);
      }
      timeoutNanos = d.toNanos();
      return this;
    }

    /** The step of subqueries that give none ({@code x[1h:]}); default 1m, Prometheus' evaluation interval. */
    public Builder defaultSubqueryStep(Duration d) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("default subquery step must be positive: " + d);
      }
      defaultSubqueryStepMillis = d.toMillis();
      return this;
    }

    /** The logical-plan optimisers, in order (default {@link Optimizer#defaults()}). */
    public Builder optimizers(List<Optimizer> list) {
      optimizers = List.copyOf(list);
      return this;
    }

    /**
     * Whether sample start timestamps (stored by the XOR2 and ST histogram chunk encodings) take part in counter
     * functions, as Prometheus' experimental {@code UseStartTimestamps}: a new start time marks a counter reset,
     * {@code rate}/{@code increase} count up from zero at a start time inside the range instead of extrapolating,
     * and {@code start_timestamp()} returns them. Default false.
     */
    public Builder useStartTimestamps(boolean use) {
      useStartTimestamps = use;
      return this;
    }

    /**
     * An executor for intra-query parallelism: with one, the two operands of a binary operation between selector
     * expressions are evaluated concurrently (a {@code concurrent} operator in the plan). The engine starts no threads
     * of its own; {@code null} (the default) evaluates every query on its caller's thread.
     */
    public Builder executor(java.util.concurrent.Executor executor) {
      this.executor = executor;
      return this;
    }

    /**
     * How many queries of this engine may execute at once (default 20, Prometheus' {@code --query.max-concurrency});
     * further ones wait for a slot, within their timeout. 0 for no gate.
     */
    public Builder maxConcurrentQueries(int n) {
      if (n < 0) {
        throw new IllegalArgumentException("max concurrent queries must not be negative: " + n);
      }
      maxConcurrentQueries = n;
      return this;
    }

    /** The most series a query may select from storage, over all its selectors (default 0, no limit). */
    public Builder maxSeries(long n) {
      if (n < 0) {
        throw new IllegalArgumentException("max series must not be negative: " + n);
      }
      maxSeries = n;
      return this;
    }

    /**
     * Registers the engine's metrics with {@code registry}: Prometheus' {@code prometheus_engine_queries}, {@code
     * prometheus_engine_queries_concurrent_max} and {@code prometheus_engine_query_duration_seconds}. Set the
     * concurrency limit first; engines built from {@link #newBuilder()} share the metrics.
     */
    public Builder metrics(PrometheusRegistry registry) {
      metrics = new EngineMetrics(Objects.requireNonNull(registry, "registry is null"),
          maxConcurrentQueries);
      return this;
    }

    /** The engine. */
    public Engine build() {
      return new Engine(new Settings(lookbackDeltaMillis, maxSamples, timeoutNanos, defaultSubqueryStepMillis,
          optimizers, useStartTimestamps, executor, maxConcurrentQueries, maxSeries, metrics));
    }
  }
}
