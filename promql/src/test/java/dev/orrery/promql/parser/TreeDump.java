package dev.orrery.promql.parser;

import dev.orrery.core.labels.Matcher;
import dev.orrery.promql.ast.AggregateExpr;
import dev.orrery.promql.ast.BinaryExpr;
import dev.orrery.promql.ast.Call;
import dev.orrery.promql.ast.Cardinality;
import dev.orrery.promql.ast.DurationExpr;
import dev.orrery.promql.ast.Expr;
import dev.orrery.promql.ast.MatrixSelector;
import dev.orrery.promql.ast.NumberLiteral;
import dev.orrery.promql.ast.ParenExpr;
import dev.orrery.promql.ast.PromqlPrinter;
import dev.orrery.promql.ast.StepInvariantExpr;
import dev.orrery.promql.ast.StringLiteral;
import dev.orrery.promql.ast.SubqueryExpr;
import dev.orrery.promql.ast.UnaryExpr;
import dev.orrery.promql.ast.VectorMatching;
import dev.orrery.promql.ast.VectorSelector;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Renders a tree as an S-expression that spells out its structure, e.g. {@code (+ 1 (* 2 3))}, so that precedence
 * and modifiers can be asserted in one line. Selectors print as written by {@link PromqlPrinter} plus their
 * modifiers in brackets.
 */
final class TreeDump {
  private TreeDump() {}

  static String dump(Expr e) {
    return switch (e) {
      case NumberLiteral n -> n.duration() ? "dur:" + PromqlPrinter.print(n) : PromqlPrinter.formatGoFloatF(n.value());
      case StringLiteral s -> Token.goQuote(s.value());
      case ParenExpr p -> "(paren " + dump(p.expr()) + ")";
      case UnaryExpr u -> "(" + u.op().symbol() + " " + dump(u.expr()) + ")";
      case StepInvariantExpr s -> "(step-invariant " + dump(s.expr()) + ")";
      case BinaryExpr b -> "(" + b.op().symbol() + (b.returnBool() ? " bool" : "") + matching(b.matching()) + " "
          + dump(b.lhs()) + " " + dump(b.rhs()) + ")";
      case Call c -> "(" + c.func().functionName()
          + c.args().stream().map(a -> " " + dump(a)).collect(Collectors.joining()) + ")";
      case AggregateExpr a -> "(" + a.op().symbol() + (a.without() ? " without" + a.grouping() : "")
          + (!a.without() && !a.grouping().isEmpty() ? " by" + a.grouping() : "")
          + (a.param() != null ? " " + dump(a.param()) : "") + " " + dump(a.expr()) + ")";
      case VectorSelector v -> selector(v);
      case MatrixSelector m -> "(range " + selector(m.vectorSelector()) + " "
          + (m.rangeExpr() != null ? dump(m.rangeExpr()) : m.rangeMillis() + "ms") + ")";
      case SubqueryExpr s -> "(subquery " + dump(s.expr()) + " "
          + (s.rangeExpr() != null ? dump(s.rangeExpr()) : s.rangeMillis() + "ms") + " "
          + (s.stepExpr() != null ? dump(s.stepExpr()) : s.stepMillis() + "ms")
          + modifiers(s.originalOffsetMillis(), s.offsetExpr(), s.timestampMillis(), s.startOrEnd() == null ? null
              : s.startOrEnd().text(), false, false) + ")";
      case DurationExpr d -> "(" + d.op().name().toLowerCase(java.util.Locale.ROOT) + (d.wrapped() ? "()" : "")
          + (d.lhs() != null ? " " + dump(d.lhs()) : "") + (d.rhs() != null ? " " + dump(d.rhs()) : "") + ")";
    };
  }

  private static String selector(VectorSelector v) {
    List<String> ms = v.matchers().stream().map(Matcher::toString).toList();
    return "sel:" + v.name() + ms + modifiers(v.originalOffsetMillis(), v.offsetExpr(), v.timestampMillis(),
        v.startOrEnd() == null ? null : v.startOrEnd().text(), v.anchored(), v.smoothed());
  }

  private static String modifiers(long offset, DurationExpr offsetExpr, Long ts, String startOrEnd, boolean anchored,
      boolean smoothed) {
    StringBuilder sb = new StringBuilder();
    if (offsetExpr != null) {
      sb.append(" offset=").append(dump(offsetExpr));
    } else if (offset != 0) {
      sb.append(" offset=").append(offset).append("ms");
    }
    if (ts != null) {
      sb.append(" @").append(ts);
    }
    if (startOrEnd != null) {
      sb.append(" @").append(startOrEnd);
    }
    if (anchored) {
      sb.append(" anchored");
    }
    if (smoothed) {
      sb.append(" smoothed");
    }
    return sb.toString();
  }

  private static String matching(VectorMatching vm) {
    if (vm == null) {
      return "";
    }
    StringBuilder sb = new StringBuilder();
    if (vm.on() || !vm.matchingLabels().isEmpty()) {
      sb.append(vm.on() ? " on" : " ignoring").append(vm.matchingLabels());
    }
    if (vm.card() == Cardinality.MANY_TO_ONE) {
      sb.append(" group_left").append(vm.include());
    } else if (vm.card() == Cardinality.ONE_TO_MANY) {
      sb.append(" group_right").append(vm.include());
    } else if (vm.card() == Cardinality.MANY_TO_MANY) {
      sb.append(" many-to-many");
    }
    if (vm.fillLeft() != null) {
      sb.append(" fill_left=").append(PromqlPrinter.formatGoFloatF(vm.fillLeft()));
    }
    if (vm.fillRight() != null) {
      sb.append(" fill_right=").append(PromqlPrinter.formatGoFloatF(vm.fillRight()));
    }
    return sb.toString();
  }
}
