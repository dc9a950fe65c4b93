package dev.orrery.promql.ast;

import java.util.List;
import java.util.Objects;

/**
 * A function call such as {@code rate(foo[5m])}.
 *
 * @param func the function (an alias such as {@code holt_winters} is resolved to its canonical function)
 * @param args the arguments, already type-checked against {@link Function#argTypes()}
 * @param positionRange from the function name to the closing parenthesis
 */
public record Call(Function func, List<Expr> args, PositionRange positionRange) implements Expr {
  /** Checks for null and copies {@code args}. */
  public Call {
    Objects.requireNonNull(func, "func is null");
    args = List.copyOf(Objects.requireNonNull(args, "args is null"));
    Objects.requireNonNull(positionRange, "positionRange is null");
  }

  @Override
  public ValueType type() {
    return func.returnType();
  }

  @Override
  public String toString() {
    return PromqlPrinter.print(this);
  }
}
