package dev.orrery.promql.promqltest;

import dev.orrery.promql.ast.AggregateExpr;
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
import dev.orrery.promql.ast.VectorSelector;
import dev.orrery.promql.parser.PromqlParseException;
import dev.orrery.promql.parser.PromqlParser;
import dev.orrery.promql.plan.StepInvariants;
import java.util.ArrayList;
import java.util.List;

/**
 * Prometheus' {@code atModifierTestCases}: an instant query re-run with {@code @ <eval time>} set on every selector
 * and subquery that has none (selectors inside a subquery are left alone), at several other evaluation times, must
 * give the same result. Queries with functions whose value depends on the evaluation time are not varied.
 */
final class AtModifierVariants {
  private AtModifierVariants() {}

  /** A query string and the time to evaluate it at. */
  record Variant(String expr, long evalMillis) {}

  static List<Variant> of(String exprText, long evalMillis) {
    Expr expr;
    try {
      expr = PromqlParser.parse(exprText);
    } catch (PromqlParseException e) {
      return List.of();
    }
    boolean[] unsafe = new boolean[1];
    Expr pinned = pin(expr, evalMillis, unsafe);
    if (unsafe[0]) {
      return List.of();
    }
    String text = pinned.toString();
    long ts = evalMillis;
    long[] times = ts == 0 ? new long[] {-1000, 0, 1000} : new long[] {-10 * ts, 0, ts / 5, ts, 10 * ts};
    List<Variant> out = new ArrayList<>();
    for (long t : times) {
      out.add(new Variant(text, t));
    }
    return out;
  }

  private static Expr pin(Expr e, long ts, boolean[] unsafe) {
    return switch (e) {
      case VectorSelector v -> v.hasAt() ? v : v.withAt(ts, null, v.positionRange());
      case MatrixSelector m -> m.withVectorSelector((VectorSelector) pin(m.vectorSelector(), ts, unsafe),
          m.positionRange());
      case SubqueryExpr s -> {
        // The selectors inside keep their times: the subquery's own @ fixes them.
        markUnsafe(s.expr(), unsafe);
        yield s.hasAt() ? s : s.withAt(ts, null, s.positionRange());
      }
      case Call c -> {
        if (StepInvariants.AT_MODIFIER_UNSAFE.contains(c.func())) {
          unsafe[0] = true;
        }
        List<Expr> args = new ArrayList<>();
        for (Expr a : c.args()) {
          args.add(pin(a, ts, unsafe));
        }
        yield new Call(c.func(), args, c.positionRange());
      }
      case AggregateExpr a -> new AggregateExpr(a.op(), pin(a.expr(), ts, unsafe),
          a.param() == null ? null : pin(a.param(), ts, unsafe), a.grouping(), a.without(), a.positionRange());
      case BinaryExpr b -> new BinaryExpr(b.op(), pin(b.lhs(), ts, unsafe), pin(b.rhs(), ts, unsafe), b.matching(),
          b.returnBool());
      case ParenExpr p -> new ParenExpr(pin(p.expr(), ts, unsafe), p.positionRange());
      case UnaryExpr u -> new UnaryExpr(u.op(), pin(u.expr(), ts, unsafe), u.positionRange());
      case StepInvariantExpr s -> new StepInvariantExpr(pin(s.expr(), ts, unsafe));
      case NumberLiteral n -> n;
      case StringLiteral s -> s;
      case DurationExpr d -> d;
    };
  }

  private static void markUnsafe(Expr e, boolean[] unsafe) {
    if (e instanceof Call c && StepInvariants.AT_MODIFIER_UNSAFE.contains(c.func())) {
      unsafe[0] = true;
    }
    for (Expr child : e.children()) {
      markUnsafe(child, unsafe);
    }
  }
}
