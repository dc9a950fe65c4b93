package dev.orrery.promql.ast;

import java.util.Objects;

/**
 * A binary operation such as {@code a + on (job) group_left b} or {@code x > bool 1}.
 *
 * @param op the operator
 * @param lhs the left operand
 * @param rhs the right operand
 * @param matching how series are paired; non-null exactly when both operands are instant vectors
 * @param returnBool true for a comparison with {@code bool}, which yields 0/1 instead of filtering
 */
public record BinaryExpr(BinaryOp op, Expr lhs, Expr rhs, VectorMatching matching, boolean returnBool)
    implements Expr {
  /** Checks for null (except {@code matching}). */
  public BinaryExpr {
    Objects.requireNonNull(op, "op is null");
    Objects.requireNonNull(lhs, "lhs is null");
    Objects.requireNonNull(rhs, "rhs is null");
  }

  /** Scalar when both operands are scalars, otherwise an instant vector. */
  @Override
  public ValueType type() {
    return lhs.type() == ValueType.SCALAR && rhs.type() == ValueType.SCALAR ? ValueType.SCALAR : ValueType.VECTOR;
  }

  /** From the start of {@code lhs} to the end of {@code rhs}. */
  @Override
  public PositionRange positionRange() {
    return lhs.positionRange().union(rhs.positionRange());
  }

  @Override
  public String toString() {
    return PromqlPrinter.print(this);
  }
}
