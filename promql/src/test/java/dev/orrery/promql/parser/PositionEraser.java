package dev.orrery.promql.parser;

import dev.orrery.core.labels.Matcher;
import dev.orrery.promql.ast.AggregateExpr;
import dev.orrery.promql.ast.BinaryExpr;
import dev.orrery.promql.ast.Call;
import dev.orrery.promql.ast.DurationExpr;
import dev.orrery.promql.ast.Expr;
import dev.orrery.promql.ast.MatrixSelector;
import dev.orrery.promql.ast.NumberLiteral;
import dev.orrery.promql.ast.ParenExpr;
import dev.orrery.promql.ast.PositionRange;
import dev.orrery.promql.ast.PromqlPrinter;
import dev.orrery.promql.ast.StepInvariantExpr;
import dev.orrery.promql.ast.StringLiteral;
import dev.orrery.promql.ast.SubqueryExpr;
import dev.orrery.promql.ast.UnaryExpr;
import dev.orrery.promql.ast.VectorSelector;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Normalises a tree for structural comparison: every position becomes {@link PositionRange#NONE} and matchers are
 * sorted (the printer sorts them, as Prometheus' does), so that {@code parse(print(ast))} can be compared with
 * {@code ast}.
 */
final class PositionEraser {
  private static final PositionRange NONE = PositionRange.NONE;

  private PositionEraser() {}

  static Expr erase(Expr e) {
    return switch (e) {
      case AggregateExpr a -> new AggregateExpr(a.op(), erase(a.expr()), a.param() == null ? null : erase(a.param()),
          a.grouping(), a.without(), NONE);
      case BinaryExpr b -> new BinaryExpr(b.op(), erase(b.lhs()), erase(b.rhs()), b.matching(), b.returnBool());
      case Call c -> new Call(c.func(), c.args().stream().map(PositionEraser::erase).toList(), NONE);
      case DurationExpr d -> eraseDuration(d);
      case MatrixSelector m -> new MatrixSelector((VectorSelector) erase(m.vectorSelector()), m.rangeMillis(),
          eraseDuration(m.rangeExpr()), NONE);
      case NumberLiteral n -> new NumberLiteral(n.value(), n.duration(), NONE);
      case ParenExpr p -> new ParenExpr(erase(p.expr()), NONE);
      case StepInvariantExpr s -> new StepInvariantExpr(erase(s.expr()));
      case StringLiteral s -> new StringLiteral(s.value(), NONE);
      case SubqueryExpr s -> new SubqueryExpr(erase(s.expr()), s.rangeMillis(), eraseDuration(s.rangeExpr()),
          s.stepMillis(), eraseDuration(s.stepExpr()), s.originalOffsetMillis(), eraseDuration(s.offsetExpr()),
          s.timestampMillis(), s.startOrEnd(), NONE);
      case UnaryExpr u -> new UnaryExpr(u.op(), erase(u.expr()), NONE);
      case VectorSelector v -> {
        List<Matcher> sorted = new ArrayList<>(v.matchers());
        sorted.sort(Comparator.comparing(PromqlPrinter::matcherString));
        yield new VectorSelector(v.name(), sorted, v.originalOffsetMillis(), eraseDuration(v.offsetExpr()),
            v.timestampMillis(), v.startOrEnd(), v.anchored(), v.smoothed(), v.bypassEmptyMatcherCheck(), NONE);
      }
    };
  }

  private static DurationExpr eraseDuration(DurationExpr d) {
    if (d == null) {
      return null;
    }
    return new DurationExpr(d.op(), d.lhs() == null ? null : erase(d.lhs()), d.rhs() == null ? null : erase(d.rhs()),
        d.wrapped(), NONE);
  }
}
