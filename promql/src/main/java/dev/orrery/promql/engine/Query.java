package dev.orrery.promql.engine;

import dev.orrery.core.OrreryException;
import dev.orrery.core.histogram.FloatHistogram;
import dev.orrery.core.labels.Labels;
import dev.orrery.core.storage.Queryable;
import dev.orrery.promql.ast.Call;
import dev.orrery.promql.ast.Expr;
import dev.orrery.promql.ast.Function;
import dev.orrery.promql.ast.MatrixSelector;
import dev.orrery.promql.ast.ParenExpr;
import dev.orrery.promql.ast.StepInvariantExpr;
import dev.orrery.promql.ast.StringLiteral;
import dev.orrery.promql.ast.SubqueryExpr;
import dev.orrery.promql.ast.ValueType;
import dev.orrery.promql.exec.OperatorBuilder;
import dev.orrery.promql.exec.QueryContext;
import dev.orrery.promql.exec.SeriesInfo;
import dev.orrery.promql.exec.StepGrid;
import dev.orrery.promql.exec.StepVector;
import dev.orrery.promql.exec.StorageErrors;
import dev.orrery.promql.exec.VectorOperator;
import dev.orrery.promql.exec.scan.RangeSource;
import dev.orrery.promql.exec.scan.SeriesData;
import dev.orrery.promql.plan.LogicalPlan;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One prepared query: an instant query when start equals end and step is 0, else a range query. Execute it once with
 * {@link #execute()}; {@link #cancel()} may be called from another thread. Closing releases the queriers it opened.
 */
public final class Query implements AutoCloseable {
  private static final int BATCH_STEPS = 32;

  private final Engine.Settings settings;
  private final java.util.concurrent.Semaphore gate;
  private final Queryable queryable;
  private final String text;
  private final Expr expr;
  private final long startMillis;
  private final long endMillis;
  private final long stepMillis;
  private final QueryContext ctx;
  private LogicalPlan plan;
  private boolean executed;

  Query(Engine.Settings settings, java.util.concurrent.Semaphore gate, Queryable queryable, String text, Expr expr,
      long startMillis, long endMillis, long stepMillis) {
    this.settings = settings;
    this.gate = gate;
    this.queryable = queryable;
    this.text = text;
    this.expr = expr;
    this.startMillis = startMillis;
    this.endMillis = endMillis;
    this.stepMillis = stepMillis;
    long deadline = settings.timeoutNanos() > 0 ? System.nanoTime() + settings.timeoutNanos() : Long.MAX_VALUE;
    this.ctx = new QueryContext(queryable, settings.lookbackDeltaMillis(), settings.maxSamples(), deadline,
        settings.defaultSubqueryStepMillis(), settings.useStartTimestamps(), settings.executor(),
        settings.maxSeries());
  }

  /** True for an instant query. */
  public boolean isInstant() {
    return stepMillis == 0;
  }

  /** The query text ("" when built from an AST). */
  public String text() {
    return text;
  }

  /** The optimised logical plan, printed as PromQL. */
  public String explain() {
    return plan().toString();
  }

  /**
   * The physical operator tree this query runs, one operator a line, children indented (EXPLAIN). Building the tree
   * touches no storage.
   */
  public String explainOperators() {
    Expr root = plan().root();
    if (root.type() == ValueType.STRING || root.type() == ValueType.MATRIX) {
      return root.type().documentedName() + " " + root;
    }
    OperatorBuilder builder = new OperatorBuilder(ctx, startMillis, endMillis, stepMillis,
        plan().statsOnlySelectors());
    StringBuilder sb = new StringBuilder();
    describe(builder.build(root, new StepGrid(startMillis, endMillis, Math.max(1, stepMillis))), 0, sb);
    return sb.toString();
  }

  private static void describe(VectorOperator op, int depth, StringBuilder sb) {
    sb.append("  ".repeat(depth)).append(op.describe()).append('\n');
    for (VectorOperator child : op.children()) {
      describe(child, depth + 1, sb);
    }
  }

  private LogicalPlan plan() {
    if (plan == null) {
      plan = LogicalPlan.create(expr, startMillis, endMillis, stepMillis, settings.optimizers());
    }
    return plan;
  }

  /** Asks a running {@link #execute()} to stop with a {@code canceled} error. Thread-safe. */
  public void cancel() {
    ctx.cancel();
  }

  /**
   * Evaluates the query.
   *
   * @throws QueryException with the error type Prometheus would report
   * @throws IllegalStateException when called twice
   */
  public QueryResult execute() {
    if (executed) {
      throw new IllegalStateException("query already executed");
    }
    executed = true;
    EngineMetrics metrics = settings.metrics();
    if (metrics == null) {
      return executeInGate();
    }
    metrics.queries.inc();
    try {
      long queued = System.nanoTime();
      acquireSlot();
      long started = System.nanoTime();
      metrics.observeQueueTime(started - queued);
      try {
        return evaluate();
      } finally {
        metrics.observeInnerEval(System.nanoTime() - started);
        releaseSlot();
      }
    } finally {
      metrics.queries.dec();
    }
  }

  private QueryResult executeInGate() {
    acquireSlot();
    try {
      return evaluate();
    } finally {
      releaseSlot();
    }
  }

  private QueryResult evaluate() {
    try {
      return run();
    } catch (OrreryException e) {
      throw StorageErrors.toQueryException(e);
    } catch (StackOverflowError e) {
      throw QueryException.execution("query too complex: evaluation exceeded the stack");
    }
  }

  private void releaseSlot() {
    if (gate != null) {
      gate.release();
    }
  }

  // The concurrency gate: wait for a slot, giving up on cancellation or timeout.
  private void acquireSlot() {
    if (gate == null) {
      return;
    }
    try {
      while (!gate.tryAcquire(20, java.util.concurrent.TimeUnit.MILLISECONDS)) {
        ctx.checkInterrupted();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new QueryException(QueryException.ErrorType.CANCELED, "query was canceled in queue");
    } catch (QueryException e) {
      throw new QueryException(e.type(), e.getMessage().replace("query execution", "queue"), e);
    }
  }

  private QueryResult run() {
    ValueType type = expr.type();
    if (!isInstant() && (type == ValueType.MATRIX || type == ValueType.STRING)) {
      throw QueryException.badData("invalid expression type \"" + type.documentedName()
          + "\" for range query, must be Scalar or instant Vector");
    }
    Expr root = plan().root();
    Expr bare = root;
    while (bare instanceof ParenExpr || bare instanceof StepInvariantExpr) {
      bare = bare instanceof ParenExpr p ? p.expr() : ((StepInvariantExpr) bare).expr();
    }
    if (bare instanceof StringLiteral s) {
      return new QueryResult.StringResult(startMillis, s.value(), Annotations.empty());
    }
    StepGrid grid = new StepGrid(startMillis, endMillis, Math.max(1, stepMillis));
    if (!isInstant()) {
      warnIneffectiveSorts(expr);
    }
    OperatorBuilder builder = new OperatorBuilder(ctx, startMillis, endMillis, stepMillis,
        plan().statsOnlySelectors());
    if (type == ValueType.MATRIX) {
      return rangeVectorResult(builder, bare, grid);
    }
    VectorOperator op = builder.build(root, grid);
    List<SeriesInfo> series = op.series();
    StepVector[] buf = StepVector.newBatch(Math.min(BATCH_STEPS, grid.steps()));
    if (isInstant()) {
      return instantResult(op, series, buf, type == ValueType.SCALAR);
    }
    return rangeResult(op, series, buf, grid);
  }

  private void warnIneffectiveSorts(Expr e) {
    if (e instanceof Call c && (c.func() == Function.SORT || c.func() == Function.SORT_DESC
        || c.func() == Function.SORT_BY_LABEL || c.func() == Function.SORT_BY_LABEL_DESC)) {
      ctx.annotations().warn("sort is ineffective for range queries since results are always ordered by labels",
          c.positionRange().start());
    }
    for (Expr child : e.children()) {
      warnIneffectiveSorts(child);
    }
  }

  private QueryResult instantResult(VectorOperator op, List<SeriesInfo> series, StepVector[] buf, boolean scalar) {
    int n = op.next(buf);
    StepVector v = n > 0 ? buf[0] : new StepVector();
    if (scalar) {
      double value = v.size > 0 ? v.values[0] : Double.NaN;
      return new QueryResult.Scalar(startMillis, value, ctx.annotations().snapshot());
    }
    List<Sample> samples = new ArrayList<>(v.size);
    Map<Labels, Boolean> seen = new HashMap<>();
    for (int k = 0; k < v.size; k++) {
      Labels l = series.get(v.ids[k]).visibleLabels();
      if (seen.put(l, Boolean.TRUE) != null) {
        throw QueryException.execution("vector cannot contain metrics with the same labelset");
      }
      samples.add(new Sample(l, startMillis, v.histograms[k] != null ? 0 : v.values[k], v.histograms[k]));
    }
    checkSamples(samples.size());
    return new QueryResult.Vector(samples, ctx.annotations().snapshot());
  }

  private void checkSamples(long n) {
    if (settings.maxSamples() > 0 && n > settings.maxSamples()) {
      throw QueryException.execution(
          "query processing would load too many samples into memory in query execution");
    }
  }

  /** Points of one output series, gathered step by step. */
  private static final class Points {
    long[] ft = new long[4];
    double[] fv = new double[4];
    int nf;
    long[] ht = new long[0];
    FloatHistogram[] hv = new FloatHistogram[0];
    int nh;

    void add(long t, double v) {
      if (nf == ft.length) {
        ft = Arrays.copyOf(ft, nf * 2);
        fv = Arrays.copyOf(fv, nf * 2);
      }
      ft[nf] = t;
      fv[nf++] = v;
    }

    void add(long t, FloatHistogram h) {
      if (nh == ht.length) {
        ht = Arrays.copyOf(ht, Math.max(4, nh * 2));
        hv = Arrays.copyOf(hv, Math.max(4, nh * 2));
      }
      ht[nh] = t;
      hv[nh++] = h;
    }
  }

  private QueryResult rangeResult(VectorOperator op, List<SeriesInfo> series, StepVector[] buf, StepGrid grid) {
    // Output series are keyed by their visible labels: series that only differ by a dropped name merge, and meeting
    // at one step is an error (Prometheus' delayed name removal).
    Map<Labels, Points> byLabels = new TreeMap<>();
    Points[] byId = new Points[series.size()];
    long total = 0;
    for (int n = op.next(buf); n > 0; n = op.next(buf)) {
      for (int i = 0; i < n; i++) {
        StepVector v = buf[i];
        for (int k = 0; k < v.size; k++) {
          int id = v.ids[k];
          Points p = byId[id];
          if (p == null) {
            p = byLabels.computeIfAbsent(series.get(id).visibleLabels(), x -> new Points());
            byId[id] = p;
          }
          if ((p.nf > 0 && p.ft[p.nf - 1] == v.t) || (p.nh > 0 && p.ht[p.nh - 1] == v.t)) {
            throw QueryException.execution("vector cannot contain metrics with the same labelset");
          }
          if (v.histograms[k] != null) {
            p.add(v.t, v.histograms[k]);
          } else {
            p.add(v.t, v.values[k]);
          }
        }
        total += v.size;
        checkSamples(total);
      }
    }
    List<TimeSeries> out = new ArrayList<>(byLabels.size());
    for (Map.Entry<Labels, Points> e : byLabels.entrySet()) {
      Points p = e.getValue();
      out.add(new TimeSeries(e.getKey(), Arrays.copyOf(p.ft, p.nf), Arrays.copyOf(p.fv, p.nf),
          Arrays.copyOf(p.ht, p.nh), Arrays.copyOf(p.hv, p.nh)));
    }
    return new QueryResult.Matrix(out, ctx.annotations().snapshot());
  }

  private QueryResult rangeVectorResult(OperatorBuilder builder, Expr root, StepGrid grid) {
    if (!(root instanceof MatrixSelector) && !(root instanceof SubqueryExpr)) {
      throw QueryException.execution("unexpected range vector expression " + root);
    }
    RangeSource source = builder.rangeSource(root, grid, "");
    long end = source.windowEnd(startMillis);
    long start = end - source.rangeMillis();
    List<TimeSeries> out = new ArrayList<>();
    long total = 0;
    for (SeriesData d : source.series()) {
      d.fillTo(end);
      TimeSeries ts = d.window(start, end);
      if (ts.size() > 0) {
        out.add(ts);
        total += ts.size();
      }
    }
    checkSamples(total);
    out.sort((a, b) -> a.labels().compareTo(b.labels()));
    return new QueryResult.Matrix(out, ctx.annotations().snapshot());
  }

  /** Releases the queriers the query opened. Idempotent. */
  @Override
  public void close() {
    ctx.close();
  }
}
