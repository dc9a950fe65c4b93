package dev.orrery.promql.parser;

import dev.orrery.core.labels.Matcher;
import dev.orrery.promql.ast.AggregateExpr;
import dev.orrery.promql.ast.BinaryExpr;
import dev.orrery.promql.ast.BinaryOp;
import dev.orrery.promql.ast.Call;
import dev.orrery.promql.ast.Cardinality;
import dev.orrery.promql.ast.DurationExpr;
import dev.orrery.promql.ast.Expr;
import dev.orrery.promql.ast.Function;
import dev.orrery.promql.ast.MatrixSelector;
import dev.orrery.promql.ast.NumberLiteral;
import dev.orrery.promql.ast.ParenExpr;
import dev.orrery.promql.ast.PositionRange;
import dev.orrery.promql.ast.StepInvariantExpr;
import dev.orrery.promql.ast.StringLiteral;
import dev.orrery.promql.ast.SubqueryExpr;
import dev.orrery.promql.ast.UnaryExpr;
import dev.orrery.promql.ast.ValueType;
import dev.orrery.promql.ast.VectorMatching;
import dev.orrery.promql.ast.VectorSelector;
import java.util.ArrayList;
import java.util.List;

/**
 * The type checks of Prometheus' {@code parser.checkAST} over a syntactically valid tree, in the same order and with
 * the same messages. It returns the tree with the adjustments {@code checkAST} makes: set operators match
 * many-to-many, and vector matching is dropped when an operand is a scalar. Recursion depth is bounded because the
 * parser has already capped the tree's depth.
 */
final class TypeChecker {
  private final byte[] input;

  TypeChecker(byte[] input) {
    this.input = input;
  }

  Expr check(Expr expr) {
    return switch (expr) {
      case AggregateExpr a -> {
        Expr body = expectType(a.expr(), ValueType.VECTOR, "aggregation expression");
        Expr param = a.param() == null ? null : expectType(a.param(), a.op().paramType(), "aggregation parameter");
        yield new AggregateExpr(a.op(), body, param, a.grouping(), a.without(), a.positionRange());
      }
      case BinaryExpr b -> checkBinary(b);
      case Call c -> checkCall(c);
      case DurationExpr d -> d;
      case MatrixSelector m -> new MatrixSelector((VectorSelector) check(m.vectorSelector()), m.rangeMillis(),
          m.rangeExpr(), m.positionRange());
      case NumberLiteral n -> n;
      case ParenExpr p -> new ParenExpr(check(p.expr()), p.positionRange());
      case StepInvariantExpr s -> new StepInvariantExpr(check(s.expr()));
      case StringLiteral s -> s;
      case SubqueryExpr s -> {
        Expr inner = check(s.expr());
        if (inner.type() != ValueType.VECTOR) {
          throw error(s.positionRange(), "subquery is only allowed on instant vector, got " + inner.type().apiName()
              + " instead");
        }
        yield new SubqueryExpr(inner, s.rangeMillis(), s.rangeExpr(), s.stepMillis(), s.stepExpr(),
            s.originalOffsetMillis(), s.offsetExpr(), s.timestampMillis(), s.startOrEnd(), s.positionRange());
      }
      case UnaryExpr u -> {
        Expr inner = check(u.expr());
        ValueType t = inner.type();
        if (t != ValueType.SCALAR && t != ValueType.VECTOR) {
          throw error(u.positionRange(), "unary expression only allowed on expressions of type scalar or instant "
              + "vector, got " + Token.goQuote(t.documentedName()));
        }
        yield new UnaryExpr(u.op(), inner, u.positionRange());
      }
      case VectorSelector v -> checkVectorSelector(v);
    };
  }

  private Expr expectType(Expr e, ValueType want, String context) {
    Expr checked = check(e);
    if (checked.type() != want) {
      throw error(e.positionRange(), "expected type " + want.documentedName() + " in " + context + ", got "
          + checked.type().documentedName());
    }
    return checked;
  }

  private Expr checkBinary(BinaryExpr b) {
    Expr lhs = check(b.lhs());
    Expr rhs = check(b.rhs());
    ValueType lt = lhs.type();
    ValueType rt = rhs.type();
    BinaryOp op = b.op();
    VectorMatching vm = b.matching();
    if (b.returnBool() && !op.isComparison()) {
      throw error(operatorRange(lhs, rhs), "bool modifier can only be used on comparison operators");
    }
    if (op.isComparison() && !b.returnBool() && lt == ValueType.SCALAR && rt == ValueType.SCALAR) {
      throw error(operatorRange(lhs, rhs), "comparisons between scalars must use BOOL modifier");
    }
    if (vm != null && op.isSetOperator() && vm.card() == Cardinality.ONE_TO_ONE) {
      vm = new VectorMatching(Cardinality.MANY_TO_MANY, vm.matchingLabels(), vm.on(), vm.include(), vm.fillLeft(),
          vm.fillRight());
    }
    if (vm != null && vm.on()) {
      for (String l1 : vm.matchingLabels()) {
        if (vm.include().contains(l1)) {
          throw error(operatorRange(lhs, rhs),
              "label " + Token.goQuote(l1) + " must not occur in ON and GROUP clause at once");
        }
      }
    }
    if (lt != ValueType.SCALAR && lt != ValueType.VECTOR) {
      throw error(lhs.positionRange(), "binary expression must contain only scalar and instant vector types");
    }
    if (rt != ValueType.SCALAR && rt != ValueType.VECTOR) {
      throw error(rhs.positionRange(), "binary expression must contain only scalar and instant vector types");
    }
    PositionRange whole = lhs.positionRange().union(rhs.positionRange());
    if ((lt != ValueType.VECTOR || rt != ValueType.VECTOR) && vm != null) {
      if (!vm.matchingLabels().isEmpty()) {
        throw error(whole, "vector matching only allowed between instant vectors");
      }
      vm = null;
    } else if (op.isSetOperator() && vm != null) {
      if (vm.card() == Cardinality.ONE_TO_MANY || vm.card() == Cardinality.MANY_TO_ONE) {
        throw error(whole, "no grouping allowed for " + Token.goQuote(op.symbol()) + " operation");
      }
      if (vm.card() != Cardinality.MANY_TO_MANY) {
        throw error(whole, "set operations must always be many-to-many");
      }
      if (vm.hasFill()) {
        throw error(operatorRange(lhs, rhs), "fill modifiers are not allowed for set operator "
            + Token.goQuote(op.symbol()));
      }
    }
    if ((lt == ValueType.SCALAR || rt == ValueType.SCALAR) && op.isSetOperator()) {
      throw error(whole, "set operator " + Token.goQuote(op.symbol()) + " not allowed in binary scalar expression");
    }
    return new BinaryExpr(op, lhs, rhs, vm, b.returnBool());
  }

  // The operator between the operands, spaces trimmed (Prometheus' opRange).
  private PositionRange operatorRange(Expr lhs, Expr rhs) {
    int start = lhs.positionRange().end();
    int end = rhs.positionRange().start();
    while (start < end && isSpace(input[start])) {
      start++;
    }
    while (end > start && isSpace(input[end - 1])) {
      end--;
    }
    return new PositionRange(start, Math.max(start, end));
  }

  private static boolean isSpace(byte b) {
    return b == ' ' || b == '\t' || b == '\n' || b == '\r';
  }

  private Expr checkCall(Call c) {
    Function fn = c.func();
    int n = c.args().size();
    String name = Token.goQuote(fn.functionName());
    if (fn.variadic() == 0) {
      if (n != fn.argTypes().size()) {
        throw error(c.positionRange(), "expected " + fn.argTypes().size() + " argument(s) in call to " + name
            + ", got " + n);
      }
    } else if (n < fn.minArgs()) {
      throw error(c.positionRange(), "expected at least " + fn.minArgs() + " argument(s) in call to " + name
          + ", got " + n);
    } else if (n > fn.maxArgs()) {
      throw error(c.positionRange(), "expected at most " + fn.maxArgs() + " argument(s) in call to " + name
          + ", got " + n);
    }
    List<Expr> args = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      args.add(expectType(c.args().get(i), fn.argType(i), "call to function " + name));
    }
    return new Call(fn, args, c.positionRange());
  }

  private Expr checkVectorSelector(VectorSelector v) {
    List<Matcher> ms = v.matchers();
    if (!v.name().isEmpty()) {
      // The last matcher is the name written before the braces; another __name__ matcher sets it twice.
      for (int i = 0; i < ms.size() - 1; i++) {
        if (ms.get(i).name().equals("__name__")) {
          throw error(v.positionRange(), "metric name must not be set twice: " + Token.goQuote(v.name()) + " or "
              + Token.goQuote(ms.get(i).value()));
        }
      }
      return v;
    }
    if (!v.bypassEmptyMatcherCheck()) {
      boolean notEmpty = false;
      for (Matcher m : ms) {
        if (!m.matchesEmpty()) {
          notEmpty = true;
          break;
        }
      }
      if (!notEmpty) {
        throw error(v.positionRange(), "vector selector must contain at least one non-empty matcher");
      }
    }
    return v;
  }

  private PromqlParseException error(PositionRange pos, String message) {
    return new PromqlParseException(pos, message, input);
  }
}
