package dev.orrery.promql.exec;

import dev.orrery.promql.ast.AggregateExpr;
import dev.orrery.promql.ast.AggregateOp;
import dev.orrery.promql.ast.BinaryExpr;
import dev.orrery.promql.ast.Call;
import dev.orrery.promql.ast.DurationExpr;
import dev.orrery.promql.ast.Expr;
import dev.orrery.promql.ast.MatrixSelector;
import dev.orrery.promql.ast.NumberLiteral;
import dev.orrery.promql.ast.ParenExpr;
import dev.orrery.promql.ast.StepInvariantExpr;
import dev.orrery.promql.ast.StringLiteral;
import dev.orrery.promql.ast.SubqueryExpr;
import dev.orrery.promql.ast.UnaryExpr;
import dev.orrery.promql.ast.UnaryOp;
import dev.orrery.promql.ast.ValueType;
import dev.orrery.promql.ast.VectorSelector;
import dev.orrery.promql.engine.QueryException;
import dev.orrery.promql.exec.aggregate.AggregateOperator;
import dev.orrery.promql.exec.aggregate.CountValuesOperator;
import dev.orrery.promql.exec.aggregate.TopKOperator;
import dev.orrery.promql.exec.binary.ScalarBinaryOperator;
import dev.orrery.promql.exec.binary.SetOperator;
import dev.orrery.promql.exec.binary.VectorBinaryOperator;
import dev.orrery.promql.exec.binary.VectorScalarOperator;
import dev.orrery.promql.exec.exchange.ConcurrentOperator;
import dev.orrery.promql.exec.function.StepScalarOperator;
import dev.orrery.promql.exec.scan.MatrixSelectorSource;
import dev.orrery.promql.exec.scan.RangeSource;
import dev.orrery.promql.exec.scan.SubquerySource;
import dev.orrery.promql.exec.scan.VectorSelectorOperator;
import java.util.Set;

/**
 * Maps each node of the logical plan to its physical operator for a step grid (promql-engine's {@code
 * execution.New}): one exhaustive switch over the AST. Function calls are delegated to {@link FunctionBuilder}.
 */
public final class OperatorBuilder {
  private final QueryContext ctx;
  private final long queryStartMillis;
  private final long queryEndMillis;
  private final long queryStepMillis;
  private final long queryRangeMillis;
  private final FunctionBuilder functions;
  private final Set<VectorSelector> statsOnly;

  /**
   * @param queryStartMillis the query's start, for {@code start()}
   * @param queryEndMillis the query's end, for {@code end()}; with the start it gives {@code range()}
   * @param queryStepMillis the query's step (0 for instant queries), for {@code step()}
   * @param statsOnly selectors (by identity) that may decode histograms as count and sum only
   */
  public OperatorBuilder(QueryContext ctx, long queryStartMillis, long queryEndMillis, long queryStepMillis,
      Set<VectorSelector> statsOnly) {
    this.statsOnly = statsOnly;
    this.ctx = ctx;
    this.queryStartMillis = queryStartMillis;
    this.queryEndMillis = queryEndMillis;
    this.queryStepMillis = queryStepMillis;
    this.queryRangeMillis = queryEndMillis - queryStartMillis;
    this.functions = new FunctionBuilder(ctx, this);
  }

  long queryStartMillis() {
    return queryStartMillis;
  }

  long queryEndMillis() {
    return queryEndMillis;
  }

  long queryStepMillis() {
    return queryStepMillis;
  }

  /** The operator computing {@code e} (an instant vector or scalar) at every step of {@code grid}. */
  public VectorOperator build(Expr e, StepGrid grid) {
    return switch (e) {
      case NumberLiteral n -> {
        double v = n.value();
        yield new StepScalarOperator(grid, t -> v, "number " + v);
      }
      case DurationExpr d -> {
        double v = d.evaluateSeconds(queryStepMillis / 1000.0, queryRangeMillis / 1000.0);
        yield new StepScalarOperator(grid, t -> v, "duration " + v);
      }
      case StringLiteral s -> throw QueryException.execution("unexpected string literal " + s);
      case ParenExpr p -> build(p.expr(), grid);
      case StepInvariantExpr s -> {
        Expr inner = s.expr();
        while (inner instanceof ParenExpr p) {
          inner = p.expr();
        }
        if (inner instanceof NumberLiteral || grid.steps() == 1) {
          yield build(inner, grid);
        }
        StepGrid one = new StepGrid(grid.startMillis(), grid.startMillis(), grid.stepMillis());
        yield new StepInvariantOperator(build(inner, one), grid);
      }
      case UnaryExpr u -> u.op() == UnaryOp.SUB
          ? new NegationOperator(build(u.expr(), grid), u.expr().type() == ValueType.VECTOR)
          : build(u.expr(), grid);
      case VectorSelector v -> {
        VectorSelectorOperator op = new VectorSelectorOperator(ctx, grid, v.matchers(), offsetMillis(v),
            v.timestampMillis(), false, statsOnly.contains(v), v::toString);
        yield v.smoothed() ? op.smoothed(v.positionRange().start()) : op;
      }
      case MatrixSelector m -> throw QueryException.execution("range vector " + m + " where an instant vector is needed");
      case SubqueryExpr s -> throw QueryException.execution("subquery " + s + " where an instant vector is needed");
      case Call c -> functions.build(c, grid);
      case AggregateExpr a -> aggregate(a, grid);
      case BinaryExpr b -> binary(b, grid);
    };
  }

  long offsetMillis(VectorSelector v) {
    if (v.offsetExpr() != null && v.originalOffsetMillis() == 0) {
      return durationMillis(v.offsetExpr());
    }
    return v.originalOffsetMillis();
  }

  long durationMillis(DurationExpr d) {
    return Math.round(d.evaluateSeconds(queryStepMillis / 1000.0, queryRangeMillis / 1000.0) * 1000);
  }

  /** The source of range windows for a matrix selector or subquery (an argument, or an instant query's result). */
  public RangeSource rangeSource(Expr e, StepGrid grid, String function) {
    while (e instanceof ParenExpr || e instanceof StepInvariantExpr) {
      e = e instanceof ParenExpr p ? p.expr() : ((StepInvariantExpr) e).expr();
    }
    if (e instanceof MatrixSelector m) {
      VectorSelector vs = m.vectorSelector();
      long range = m.rangeExpr() != null && m.rangeMillis() == 0 ? durationMillis(m.rangeExpr()) : m.rangeMillis();
      long lookback = ctx.lookbackDeltaMillis();
      long before = vs.anchored() || vs.smoothed() ? lookback : 0;
      long after = vs.smoothed() ? lookback : 0;
      return new MatrixSelectorSource(ctx, grid, vs.matchers(), range, offsetMillis(vs), vs.timestampMillis(),
          function, statsOnly.contains(vs), before, after, m::toString);
    }
    if (e instanceof SubqueryExpr s) {
      long range = s.rangeExpr() != null && s.rangeMillis() == 0 ? durationMillis(s.rangeExpr()) : s.rangeMillis();
      long step = s.stepExpr() != null && s.stepMillis() == 0 ? durationMillis(s.stepExpr()) : s.stepMillis();
      if (step <= 0) {
        step = ctx.defaultSubqueryStepMillis();
      }
      long offset = s.offsetExpr() != null && s.originalOffsetMillis() == 0 ? durationMillis(s.offsetExpr())
          : s.originalOffsetMillis();
      StepGrid inner = SubquerySource.innerGrid(grid, range, step, offset, s.timestampMillis());
      VectorOperator innerOp = inner == null ? new EmptyOperator() : build(s.expr(), inner);
      return new SubquerySource(ctx, innerOp, range, offset, s.timestampMillis());
    }
    throw QueryException.execution("expected a range vector, got " + e);
  }

  private VectorOperator aggregate(AggregateExpr a, StepGrid grid) {
    VectorOperator child = build(a.expr(), grid);
    int pos = a.positionRange().start();
    int exprPos = a.expr().positionRange().start();
    int paramPos = a.param() != null ? a.param().positionRange().start() : -1;
    AggregateOp op = a.op();
    return switch (op) {
      case TOPK, BOTTOMK, LIMITK, LIMIT_RATIO -> new TopKOperator(ctx, child, op, build(a.param(), grid), a.grouping(),
          a.without(), pos, paramPos);
      case COUNT_VALUES -> {
        Expr p = a.param();
        while (p instanceof ParenExpr || p instanceof StepInvariantExpr) {
          p = p instanceof ParenExpr pe ? pe.expr() : ((StepInvariantExpr) p).expr();
        }
        if (!(p instanceof StringLiteral label)) {
          throw QueryException.execution("count_values needs a string parameter");
        }
        if (!LabelNames.isValid(label.value())) {
          throw QueryException.execution("invalid label name " + GoQuoting.quote(label.value()));
        }
        yield new CountValuesOperator(ctx, child, label.value(), a.grouping(), a.without(), grid);
      }
      case QUANTILE -> new AggregateOperator(ctx, child, op, build(a.param(), grid), a.grouping(), a.without(), pos,
          exprPos, paramPos);
      default -> new AggregateOperator(ctx, child, op, null, a.grouping(), a.without(), pos, exprPos, paramPos);
    };
  }

  private static boolean readsStorage(Expr e) {
    if (e instanceof VectorSelector || e instanceof MatrixSelector) {
      return true;
    }
    for (Expr c : e.children()) {
      if (readsStorage(c)) {
        return true;
      }
    }
    return false;
  }

  private VectorOperator binary(BinaryExpr b, StepGrid grid) {
    boolean lScalar = b.lhs().type() == ValueType.SCALAR;
    boolean rScalar = b.rhs().type() == ValueType.SCALAR;
    VectorOperator l = build(b.lhs(), grid);
    VectorOperator r = build(b.rhs(), grid);
    int pos = b.positionRange().start();
    if (lScalar && rScalar) {
      return new ScalarBinaryOperator(b.op(), l, r);
    }
    if (ctx.executor() != null && !lScalar && !rScalar && readsStorage(b.lhs()) && readsStorage(b.rhs())) {
      // Both operands read series: evaluate the left one on another thread while this one computes the right.
      l = new ConcurrentOperator(l, ctx.executor(), ctx, 2);
    }
    if (b.op().isSetOperator()) {
      return new SetOperator(b.op(), l, r, b.matching());
    }
    if (rScalar) {
      return new VectorScalarOperator(ctx, b.op(), l, r, false, b.returnBool(), pos);
    }
    if (lScalar) {
      return new VectorScalarOperator(ctx, b.op(), r, l, true, b.returnBool(), pos);
    }
    return new VectorBinaryOperator(ctx, b.op(), l, r, b.matching(), b.returnBool(), pos);
  }
}
