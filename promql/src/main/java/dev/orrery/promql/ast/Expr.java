package dev.orrery.promql.ast;

import java.util.ArrayList;
import java.util.List;

/**
 * A PromQL expression: the root type of the AST, as Prometheus' {@code parser.Expr}. Nodes are immutable records, so
 * rewrites build new trees; {@code switch} over this sealed type is exhaustive. {@code toString()} of every node is
 * its canonical PromQL ({@link PromqlPrinter}).
 */
public sealed interface Expr
    permits AggregateExpr,
        BinaryExpr,
        Call,
        DurationExpr,
        MatrixSelector,
        NumberLiteral,
        ParenExpr,
        StepInvariantExpr,
        StringLiteral,
        SubqueryExpr,
        UnaryExpr,
        VectorSelector {

  /** The type the expression evaluates to (the parser has already checked that the operands fit). */
  ValueType type();

  /** Where the expression is in the query text; {@link PositionRange#NONE} for synthetic nodes. */
  PositionRange positionRange();

  /**
   * The direct sub-expressions in evaluation order, as Prometheus' {@code parser.Children}. Duration expressions of
   * ranges, steps and offsets are not children; they hang off their selector or subquery.
   */
  default List<Expr> children() {
    return switch (this) {
      case AggregateExpr a -> {
        List<Expr> out = new ArrayList<>(2);
        out.add(a.expr());
        if (a.param() != null) {
          out.add(a.param());
        }
        yield List.copyOf(out);
      }
      case BinaryExpr b -> List.of(b.lhs(), b.rhs());
      case Call c -> c.args();
      case DurationExpr d -> {
        List<Expr> out = new ArrayList<>(2);
        if (d.lhs() != null) {
          out.add(d.lhs());
        }
        if (d.rhs() != null) {
          out.add(d.rhs());
        }
        yield List.copyOf(out);
      }
      case MatrixSelector m -> List.of(m.vectorSelector());
      case ParenExpr p -> List.of(p.expr());
      case StepInvariantExpr s -> List.of(s.expr());
      case SubqueryExpr s -> List.of(s.expr());
      case UnaryExpr u -> List.of(u.expr());
      case NumberLiteral n -> List.of();
      case StringLiteral s -> List.of();
      case VectorSelector v -> List.of();
    };
  }
}
