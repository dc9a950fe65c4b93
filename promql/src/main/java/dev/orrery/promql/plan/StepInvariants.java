package dev.orrery.promql.plan;

import dev.orrery.promql.ast.AggregateExpr;
import dev.orrery.promql.ast.BinaryExpr;
import dev.orrery.promql.ast.Call;
import dev.orrery.promql.ast.DurationExpr;
import dev.orrery.promql.ast.Expr;
import dev.orrery.promql.ast.Function;
import dev.orrery.promql.ast.MatrixSelector;
import dev.orrery.promql.ast.NumberLiteral;
import dev.orrery.promql.ast.ParenExpr;
import dev.orrery.promql.ast.StartOrEnd;
import dev.orrery.promql.ast.StepInvariantExpr;
import dev.orrery.promql.ast.StringLiteral;
import dev.orrery.promql.ast.SubqueryExpr;
import dev.orrery.promql.ast.UnaryExpr;
import dev.orrery.promql.ast.VectorSelector;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Prometheus' {@code PreprocessExpr}: turns {@code @ start()}/{@code @ end()} into timestamps and wraps every maximal
 * step-invariant sub-expression (literals, selectors and subqueries pinned with {@code @}, and whatever is built only
 * from them) in a {@link StepInvariantExpr}, which the executor evaluates once and repeats. Functions whose result
 * depends on the evaluation time even for invariant arguments are never invariant.
 */
public final class StepInvariants implements Optimizer {
  /** Prometheus' {@code AtModifierUnsafeFunctions}. */
  public static final Set<Function> AT_MODIFIER_UNSAFE = EnumSet.of(Function.DAYS_IN_MONTH, Function.DAY_OF_MONTH,
      Function.DAY_OF_WEEK, Function.DAY_OF_YEAR, Function.HOUR, Function.MINUTE, Function.MONTH, Function.YEAR,
      Function.PREDICT_LINEAR, Function.TIME, Function.TIMESTAMP, Function.START, Function.END, Function.RANGE,
      Function.STEP);

  @Override
  public Expr optimize(Expr root, PlanContext context) {
    Result r = visit(root, context);
    return r.invariant ? wrap(r.expr) : r.expr;
  }

  private record Result(Expr expr, boolean invariant) {}

  private static Expr wrap(Expr e) {
    if (e instanceof StepInvariantExpr) {
      return e;
    }
    return new StepInvariantExpr(e);
  }

  private static Long resolve(Long ts, StartOrEnd soe, PlanContext c) {
    if (soe == StartOrEnd.START) {
      return c.startMillis();
    }
    if (soe == StartOrEnd.END) {
      return c.endMillis();
    }
    return ts;
  }

  private Result visit(Expr e, PlanContext c) {
    return switch (e) {
      case VectorSelector v -> {
        VectorSelector r = v.startOrEnd() != null
            ? v.withAt(resolve(null, v.startOrEnd(), c), null, v.positionRange()) : v;
        yield new Result(r, r.timestampMillis() != null);
      }
      case MatrixSelector m -> {
        Result vs = visit(m.vectorSelector(), c);
        yield new Result(m.withVectorSelector((VectorSelector) vs.expr, m.positionRange()), vs.invariant);
      }
      case AggregateExpr a -> {
        Result inner = visit(a.expr(), c);
        Expr param = a.param();
        if (param != null) {
          Result p = visit(param, c);
          param = p.invariant && !(p.expr instanceof NumberLiteral) && !(p.expr instanceof StringLiteral)
              ? wrap(p.expr) : p.expr;
        }
        yield new Result(new AggregateExpr(a.op(), inner.expr, param, a.grouping(), a.without(), a.positionRange()),
            inner.invariant);
      }
      case BinaryExpr b -> {
        Result l = visit(b.lhs(), c);
        Result r = visit(b.rhs(), c);
        if (l.invariant && r.invariant) {
          yield new Result(new BinaryExpr(b.op(), l.expr, r.expr, b.matching(), b.returnBool()), true);
        }
        yield new Result(new BinaryExpr(b.op(), l.invariant ? wrap(l.expr) : l.expr,
            r.invariant ? wrap(r.expr) : r.expr, b.matching(), b.returnBool()), false);
      }
      case Call call -> {
        boolean invariant = !AT_MODIFIER_UNSAFE.contains(call.func());
        List<Result> args = new ArrayList<>();
        for (Expr a : call.args()) {
          Result r = visit(a, c);
          args.add(r);
          invariant &= r.invariant;
        }
        List<Expr> out = new ArrayList<>();
        for (Result r : args) {
          out.add(!invariant && r.invariant && !(r.expr instanceof StringLiteral) && !(r.expr instanceof NumberLiteral)
              && !(r.expr instanceof MatrixSelector) && !(r.expr instanceof SubqueryExpr) ? wrap(r.expr) : r.expr);
        }
        yield new Result(new Call(call.func(), out, call.positionRange()), invariant);
      }
      case SubqueryExpr s -> {
        Result inner = visit(s.expr(), c);
        Expr innerExpr = inner.invariant ? wrap(inner.expr) : inner.expr;
        Long ts = resolve(s.timestampMillis(), s.startOrEnd(), c);
        SubqueryExpr r = new SubqueryExpr(innerExpr, s.rangeMillis(), s.rangeExpr(), s.stepMillis(), s.stepExpr(),
            s.originalOffsetMillis(), s.offsetExpr(), ts, null, s.positionRange());
        yield new Result(r, ts != null);
      }
      case ParenExpr p -> {
        Result inner = visit(p.expr(), c);
        yield new Result(new ParenExpr(inner.expr, p.positionRange()), inner.invariant);
      }
      case UnaryExpr u -> {
        Result inner = visit(u.expr(), c);
        yield new Result(new UnaryExpr(u.op(), inner.expr, u.positionRange()), inner.invariant);
      }
      case StepInvariantExpr s -> new Result(s, true);
      case NumberLiteral n -> new Result(n, true);
      case StringLiteral s -> new Result(s, true);
      case DurationExpr d -> new Result(d, !d.dependsOnQuery());
    };
  }
}
