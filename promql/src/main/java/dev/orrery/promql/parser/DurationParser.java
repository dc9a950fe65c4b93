package dev.orrery.promql.parser;

import dev.orrery.promql.ast.BinaryOp;
import dev.orrery.promql.ast.DurationExpr;
import dev.orrery.promql.ast.DurationOp;
import dev.orrery.promql.ast.Expr;
import dev.orrery.promql.ast.NumberLiteral;
import dev.orrery.promql.ast.PositionRange;
import java.util.Locale;

/**
 * Parses the experimental duration expressions of Prometheus 3.x: ranges and subquery steps ({@code
 * foo[5m + step()]}, {@code [1h:min_of(step(), 1m)]}) and offsets ({@code offset -(2 * 1m)}), following the
 * grammar's {@code duration_expr}, {@code positive_duration_expr} and {@code offset_duration_expr}. Operands are
 * number or duration literals, {@code step()}, {@code range()}, {@code min_of}/{@code max_of} and parenthesised
 * expressions; {@code + -} bind looser than {@code * / %}, {@code ^} is right-associative, a unary sign binds like
 * {@code *}. Single-threaded; shares the {@link TokenStream} of the query's {@link Parser}.
 */
final class DurationParser {
  private static final double MAX_DURATION_SECONDS = 9.223372036854775807E9; // 2^63 ns, time.Duration's range

  private final TokenStream ts;

  DurationParser(TokenStream ts) {
    this.ts = ts;
  }

  /** True when {@code t} can start a duration expression. */
  static boolean startsDuration(Token t) {
    return switch (t.type()) {
      case NUMBER, DURATION, ADD, SUB, LEFT_PAREN, STEP, RANGE, MIN_OF, MAX_OF -> true;
      case IDENTIFIER, AGGREGATOR -> isMinMaxWord(t);
      default -> false;
    };
  }

  private static boolean isMinMaxWord(Token t) {
    return t.isWord("min_of") || t.isWord("max_of");
  }

  // positive_duration_expr: a duration expression whose value, if it is a plain literal, must be > 0.
  Expr parsePositiveDuration() {
    Expr d = parseDurationExpr(BinaryOp.LOWEST_PRECEDENCE);
    if (d instanceof NumberLiteral n && !(n.value() > 0)) {
      throw ts.error(n.positionRange(), "duration must be greater than 0");
    }
    return d;
  }

  // offset_duration_expr: one signed literal, step(), range(), min_of/max_of(...), -(...), or a parenthesised
  // duration expression that may continue with operators.
  Expr parseOffsetDuration() {
    switch (ts.type()) {
      case NUMBER, DURATION -> {
        return durationLiteral();
      }
      case ADD, SUB -> {
        Token sign = ts.tok();
        ts.advance();
        Expr operand;
        if (ts.type() == TokenType.NUMBER || ts.type() == TokenType.DURATION) {
          operand = durationLiteral();
        } else if (ts.type() == TokenType.LEFT_PAREN) {
          operand = parseDurationParen();
        } else if (isDurationCallStart(ts.tok())) {
          operand = parseDurationCall();
        } else {
          throw ts.unexpected(null, null);
        }
        return applySign(sign, operand);
      }
      case LEFT_PAREN -> {
        return parseDurationExpr(BinaryOp.LOWEST_PRECEDENCE);
      }
      default -> {
        if (isDurationCallStart(ts.tok())) {
          return parseDurationCall();
        }
        throw ts.unexpected(null, null);
      }
    }
  }

  private static boolean isDurationCallStart(Token t) {
    return t.type() == TokenType.STEP || t.type() == TokenType.RANGE || t.type() == TokenType.MIN_OF
        || t.type() == TokenType.MAX_OF || isMinMaxWord(t);
  }

  private Expr parseDurationExpr(int minPrecedence) {
    ts.enterNesting();
    int levels = 1;
    Expr lhs = parseDurationUnary();
    while (true) {
      DurationOp op = switch (ts.type()) {
        case ADD -> DurationOp.ADD;
        case SUB -> DurationOp.SUB;
        case MUL -> DurationOp.MUL;
        case DIV -> DurationOp.DIV;
        case MOD -> DurationOp.MOD;
        case POW -> DurationOp.POW;
        default -> null;
      };
      if (op == null) {
        break;
      }
      int precedence = switch (op) {
        case ADD, SUB -> BinaryOp.ADD.precedence();
        case POW -> BinaryOp.POW.precedence();
        default -> BinaryOp.MUL.precedence();
      };
      if (precedence < minPrecedence) {
        break;
      }
      Token opTok = ts.tok();
      ts.advance();
      // Each operator of a chain deepens the tree, which is evaluated and printed recursively.
      ts.enterNesting();
      levels++;
      Expr rhs = parseDurationExpr(op == DurationOp.POW ? precedence : precedence + 1);
      if ((op == DurationOp.DIV || op == DurationOp.MOD) && rhs instanceof NumberLiteral n && n.value() == 0) {
        throw ts.error(opTok.positionRange(), op == DurationOp.DIV ? "division by zero" : "modulo by zero");
      }
      lhs = new DurationExpr(op, lhs, rhs, false, lhs.positionRange().union(rhs.positionRange()));
    }
    ts.leaveNesting(levels);
    return lhs;
  }

  private Expr parseDurationUnary() {
    if (ts.type() == TokenType.ADD || ts.type() == TokenType.SUB) {
      Token sign = ts.tok();
      ts.advance();
      Expr operand = parseDurationExpr(BinaryOp.POW.precedence());
      return applySign(sign, operand);
    }
    return switch (ts.type()) {
      case NUMBER, DURATION -> durationLiteral();
      case LEFT_PAREN -> parseDurationParen();
      default -> {
        if (isDurationCallStart(ts.tok())) {
          yield parseDurationCall();
        }
        throw ts.unexpected(null, null);
      }
    };
  }

  private Expr applySign(Token sign, Expr operand) {
    PositionRange pos = new PositionRange(sign.start(), operand.positionRange().end());
    boolean negate = sign.type() == TokenType.SUB;
    if (operand instanceof NumberLiteral n) {
      double v = negate ? -n.value() : n.value();
      checkDurationRange(v, sign.positionRange());
      return new NumberLiteral(v, n.duration(), pos);
    }
    if (!negate) {
      return operand;
    }
    return new DurationExpr(DurationOp.NEGATE, null, operand, false, pos);
  }

  private Expr parseDurationParen() {
    Token open = ts.tok();
    ts.advance();
    Expr inner = parseDurationExpr(BinaryOp.LOWEST_PRECEDENCE);
    ts.expect(TokenType.RIGHT_PAREN, null, null);
    PositionRange pos = new PositionRange(open.start(), ts.prevEnd());
    if (inner instanceof DurationExpr d) {
      return new DurationExpr(d.op(), d.lhs(), d.rhs(), true, pos);
    }
    // As Prometheus: a literal in parentheses becomes a wrapped unary '+', so the parentheses print back.
    return new DurationExpr(DurationOp.PLUS, null, inner, true, pos);
  }

  // step(), range(), min_of(a, b), max_of(a, b)
  private Expr parseDurationCall() {
    Token name = ts.tok();
    ts.advance();
    ts.expect(TokenType.LEFT_PAREN, null, null);
    if (name.type() == TokenType.STEP || name.type() == TokenType.RANGE) {
      ts.expect(TokenType.RIGHT_PAREN, null, null);
      DurationOp op = name.type() == TokenType.STEP ? DurationOp.STEP : DurationOp.RANGE;
      return new DurationExpr(op, null, null, false, new PositionRange(name.start(), ts.prevEnd()));
    }
    boolean min = name.type() == TokenType.MIN_OF || name.text().toLowerCase(Locale.ROOT).startsWith("min");
    Expr a = parseDurationExpr(BinaryOp.LOWEST_PRECEDENCE);
    ts.expect(TokenType.COMMA, null, null);
    Expr b = parseDurationExpr(BinaryOp.LOWEST_PRECEDENCE);
    ts.expect(TokenType.RIGHT_PAREN, null, null);
    return new DurationExpr(min ? DurationOp.MIN_OF : DurationOp.MAX_OF, a, b, false,
        new PositionRange(name.start(), ts.prevEnd()));
  }

  private NumberLiteral durationLiteral() {
    Token t = ts.tok();
    NumberLiteral n;
    if (t.type() == TokenType.DURATION) {
      n = new NumberLiteral(ts.numberValue(t), true, t.positionRange());
    } else {
      n = new NumberLiteral(ts.numberValue(t), t.positionRange());
    }
    checkDurationRange(n.value(), t.positionRange());
    ts.advance();
    return n;
  }

  private void checkDurationRange(double seconds, PositionRange pos) {
    if (!(Math.abs(seconds) <= MAX_DURATION_SECONDS)) {
      throw ts.error(pos, "duration out of range");
    }
  }

  /** The value of a parsed duration in milliseconds; 0 when it depends on step() or range(). */
  static long durationMillis(Expr d) {
    return switch (d) {
      case NumberLiteral n -> Math.round(n.value() * 1000);
      case DurationExpr e -> e.dependsOnQuery() ? 0 : Math.round(e.evaluateSeconds(0, 0) * 1000);
      default -> throw new IllegalStateException("not a duration: " + d);
    };
  }

  /** The parsed duration as a {@link DurationExpr}, or {@code null} when it is a plain literal. */
  static DurationExpr asDurationExpr(Expr d) {
    return d instanceof DurationExpr e ? e : null;
  }
}
