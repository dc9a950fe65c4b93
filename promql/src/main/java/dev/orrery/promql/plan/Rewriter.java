package dev.orrery.promql.plan;

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
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** Bottom-up rewriting of AST records: children first, then {@code fn} on the rebuilt node. */
final class Rewriter {
  private Rewriter() {}

  static Expr rewrite(Expr e, UnaryOperator<Expr> fn) {
    Expr rebuilt = switch (e) {
      case AggregateExpr a -> new AggregateExpr(a.op(), rewrite(a.expr(), fn),
          a.param() == null ? null : rewrite(a.param(), fn), a.grouping(), a.without(), a.positionRange());
      case BinaryExpr b -> new BinaryExpr(b.op(), rewrite(b.lhs(), fn), rewrite(b.rhs(), fn), b.matching(),
          b.returnBool());
      case Call c -> {
        List<Expr> args = new ArrayList<>(c.args().size());
        for (Expr a : c.args()) {
          args.add(rewrite(a, fn));
        }
        yield new Call(c.func(), args, c.positionRange());
      }
      case MatrixSelector m -> {
        Expr vs = rewrite(m.vectorSelector(), fn);
        yield vs instanceof VectorSelector v ? m.withVectorSelector(v, m.positionRange()) : m;
      }
      case ParenExpr p -> new ParenExpr(rewrite(p.expr(), fn), p.positionRange());
      case StepInvariantExpr s -> new StepInvariantExpr(rewrite(s.expr(), fn));
      case SubqueryExpr s -> new SubqueryExpr(rewrite(s.expr(), fn), s.rangeMillis(), s.rangeExpr(), s.stepMillis(),
          s.stepExpr(), s.originalOffsetMillis(), s.offsetExpr(), s.timestampMillis(), s.startOrEnd(),
          s.positionRange());
      case UnaryExpr u -> new UnaryExpr(u.op(), rewrite(u.expr(), fn), u.positionRange());
      case DurationExpr d -> d;
      case NumberLiteral n -> n;
      case StringLiteral s -> s;
      case VectorSelector v -> v;
    };
    return fn.apply(rebuilt);
  }
}
