package dev.orrery.promql.http;

import dev.orrery.promql.ast.AggregateExpr;
import dev.orrery.promql.ast.BinaryExpr;
import dev.orrery.promql.ast.Call;
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
import dev.orrery.promql.ast.VectorSelector;
import java.nio.charset.StandardCharsets;

/**
 * The text of {@code /api/v1/format_query}: Prometheus' {@code Prettify} ({@code promql/parser/prettier.go}). An
 * expression whose canonical text fits in 100 bytes stays on one line; a longer one is split at its top-level
 * operator, aggregation, call or parentheses, each level indented by two spaces, recursively. The one-line pieces are
 * {@link PromqlPrinter}'s canonical text.
 */
final class QueryFormatter {
  private static final int MAX_CHARACTERS_PER_LINE = 100;

  private QueryFormatter() {}

  /** The pretty-printed form of {@code expr}. */
  static String format(Expr expr) {
    StringBuilder sb = new StringBuilder();
    pretty(sb, expr, 0);
    return sb.toString();
  }

  private static void pretty(StringBuilder sb, Expr expr, int level) {
    switch (expr) {
      case AggregateExpr a -> {
        String full = PromqlPrinter.print(a);
        indent(sb, level);
        if (!needsSplit(full)) {
          sb.append(full);
          return;
        }
        // The operator with its grouping, as the canonical text starts: "sum by (job) " or "sum".
        String inner = (a.param() != null ? PromqlPrinter.print(a.param()) + ", " : "") + PromqlPrinter.print(a.expr());
        sb.append(full, 0, full.length() - inner.length() - 2).append("(\n");
        if (a.param() != null) {
          pretty(sb, a.param(), level + 1);
          sb.append(",\n");
        }
        pretty(sb, a.expr(), level + 1);
        sb.append('\n');
        indent(sb, level);
        sb.append(')');
      }
      case BinaryExpr b -> {
        String full = PromqlPrinter.print(b);
        if (!needsSplit(full)) {
          indent(sb, level);
          sb.append(full);
          return;
        }
        // Between "lhs " and " rhs": the operator, bool and the matching clause.
        String lhs = PromqlPrinter.print(b.lhs());
        String rhs = PromqlPrinter.print(b.rhs());
        String operator = full.substring(lhs.length() + 1, full.length() - rhs.length() - 1);
        pretty(sb, b.lhs(), level + 1);
        sb.append('\n');
        indent(sb, level);
        sb.append(operator).append('\n');
        pretty(sb, b.rhs(), level + 1);
      }
      case Call c -> {
        String full = PromqlPrinter.print(c);
        indent(sb, level);
        if (!needsSplit(full)) {
          sb.append(full);
          return;
        }
        sb.append(c.func().functionName()).append("(\n");
        for (int i = 0; i < c.args().size(); i++) {
          if (i > 0) {
            sb.append(",\n");
          }
          pretty(sb, c.args().get(i), level + 1);
        }
        sb.append('\n');
        indent(sb, level);
        sb.append(')');
      }
      case ParenExpr p -> {
        String full = PromqlPrinter.print(p);
        indent(sb, level);
        if (!needsSplit(full)) {
          sb.append(full);
          return;
        }
        sb.append("(\n");
        pretty(sb, p.expr(), level + 1);
        sb.append('\n');
        indent(sb, level);
        sb.append(')');
      }
      case SubqueryExpr s -> {
        String full = PromqlPrinter.print(s);
        if (!needsSplit(full)) {
          // As Prometheus: an unsplit subquery is not indented.
          sb.append(full);
          return;
        }
        String inner = PromqlPrinter.print(s.expr());
        pretty(sb, s.expr(), level);
        sb.append(full, inner.length(), full.length());
      }
      case UnaryExpr u -> {
        StringBuilder child = new StringBuilder();
        pretty(child, u.expr(), level);
        indent(sb, level);
        sb.append(u.op().symbol()).append(child.toString().strip());
      }
      case StepInvariantExpr s -> pretty(sb, s.expr(), level);
      case MatrixSelector m -> leaf(sb, m, level);
      case VectorSelector v -> leaf(sb, v, level);
      case NumberLiteral n -> leaf(sb, n, level);
      case StringLiteral s -> leaf(sb, s, level);
      case DurationExpr d -> leaf(sb, d, level);
    }
  }

  private static void leaf(StringBuilder sb, Expr expr, int level) {
    indent(sb, level);
    sb.append(PromqlPrinter.print(expr));
  }

  private static boolean needsSplit(String text) {
    // Go's len(): bytes of UTF-8.
    return text.getBytes(StandardCharsets.UTF_8).length > MAX_CHARACTERS_PER_LINE;
  }

  private static void indent(StringBuilder sb, int level) {
    for (int i = 0; i < level; i++) {
      sb.append("  ");
    }
  }
}
