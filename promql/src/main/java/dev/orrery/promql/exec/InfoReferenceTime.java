package dev.orrery.promql.exec;

import dev.orrery.promql.ast.Expr;
import dev.orrery.promql.ast.MatrixSelector;
import dev.orrery.promql.ast.SubqueryExpr;
import dev.orrery.promql.ast.VectorSelector;
import java.util.function.LongUnaryOperator;

/**
 * The time at which {@code info()} looks up info series for a step: the time its first argument read its samples at,
 * following {@code @} and {@code offset} of the selector and of any subquery on the way down.
 */
final class InfoReferenceTime {
  private InfoReferenceTime() {}

  static LongUnaryOperator of(Expr arg, OperatorBuilder builder) {
    Expr e = arg;
    LongUnaryOperator f = LongUnaryOperator.identity();
    while (true) {
      if (e instanceof VectorSelector vs) {
        return compose(f, vs.timestampMillis(), builder.offsetMillis(vs));
      }
      if (e instanceof MatrixSelector ms) {
        VectorSelector vs = ms.vectorSelector();
        return compose(f, vs.timestampMillis(), builder.offsetMillis(vs));
      }
      if (e instanceof SubqueryExpr s) {
        long offset = s.offsetExpr() != null && s.originalOffsetMillis() == 0 ? builder.durationMillis(s.offsetExpr())
            : s.originalOffsetMillis();
        f = compose(f, s.timestampMillis(), offset);
        e = s.expr();
        continue;
      }
      Expr next = null;
      for (Expr child : e.children()) {
        if (containsSelector(child)) {
          next = child;
          break;
        }
      }
      if (next == null) {
        return f;
      }
      e = next;
    }
  }

  private static LongUnaryOperator compose(LongUnaryOperator outer, Long at, long offset) {
    return t -> (at != null ? at : outer.applyAsLong(t)) - offset;
  }

  private static boolean containsSelector(Expr e) {
    if (e instanceof VectorSelector || e instanceof MatrixSelector) {
      return true;
    }
    for (Expr c : e.children()) {
      if (containsSelector(c)) {
        return true;
      }
    }
    return false;
  }
}
