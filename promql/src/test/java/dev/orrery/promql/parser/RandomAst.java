package dev.orrery.promql.parser;

import dev.orrery.core.labels.MatchType;
import dev.orrery.core.labels.Matcher;
import dev.orrery.promql.ast.AggregateExpr;
import dev.orrery.promql.ast.AggregateOp;
import dev.orrery.promql.ast.BinaryExpr;
import dev.orrery.promql.ast.BinaryOp;
import dev.orrery.promql.ast.Call;
import dev.orrery.promql.ast.Cardinality;
import dev.orrery.promql.ast.DurationExpr;
import dev.orrery.promql.ast.DurationOp;
import dev.orrery.promql.ast.Expr;
import dev.orrery.promql.ast.Function;
import dev.orrery.promql.ast.MatrixSelector;
import dev.orrery.promql.ast.NumberLiteral;
import dev.orrery.promql.ast.ParenExpr;
import dev.orrery.promql.ast.PositionRange;
import dev.orrery.promql.ast.StartOrEnd;
import dev.orrery.promql.ast.StringLiteral;
import dev.orrery.promql.ast.SubqueryExpr;
import dev.orrery.promql.ast.UnaryExpr;
import dev.orrery.promql.ast.UnaryOp;
import dev.orrery.promql.ast.ValueType;
import dev.orrery.promql.ast.VectorMatching;
import dev.orrery.promql.ast.VectorSelector;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generates random, type-correct trees in the shape the parser produces (parentheses wherever precedence needs
 * them, signs folded into literals, the metric name's matcher last), for the property {@code parse(print(ast)) ==
 * ast}. Positions are {@link PositionRange#NONE}; compare with {@link PositionEraser}.
 */
final class RandomAst {
  private static final PositionRange NONE = PositionRange.NONE;
  private static final String[] METRICS = {"up", "http_requests_total", "foo", "bar:rate5m", "node_cpu_seconds",
      "a", "x1", "_hidden", "ON_purpose", "offsets"};
  private static final String[] LABELS = {"job", "instance", "le", "a", "b", "name", "_x", "service.name",
      "läbel", "a-b", "0num", "with space"};
  private static final String[] VALUES = {"", "api", "x\"y", "line\nbreak", "tab\t", "back\\slash", "ünïcödé",
      "☺", "😀", "\u0007bell", "'single'", "`tick`", "{brace}"};
  private static final String[] REGEXES = {".*", ".+", "api|web", "a.*b", "[0-9]+", "(x|y)?", "\\d+", "foo"};

  private final Random random;

  RandomAst(Random random) {
    this.random = random;
  }

  /** A random expression of any type (at the top level, strings and range vectors are allowed too). */
  Expr any(int depth) {
    return switch (random.nextInt(8)) {
      case 0 -> string();
      case 1 -> matrix(depth);
      case 2, 3 -> expr(ValueType.SCALAR, depth);
      default -> expr(ValueType.VECTOR, depth);
    };
  }

  /** A random expression of the given type. */
  Expr expr(ValueType type, int depth) {
    return switch (type) {
      case STRING -> string();
      case MATRIX -> matrix(depth);
      case SCALAR -> scalar(depth);
      case VECTOR -> vector(depth);
    };
  }

  private Expr scalar(int depth) {
    int choice = depth <= 0 ? random.nextInt(2) : random.nextInt(7);
    return switch (choice) {
      case 0 -> number();
      case 1 -> new Call(pick(Function.TIME, Function.PI, Function.STEP, Function.START), List.of(), NONE);
      case 2 -> new Call(Function.SCALAR, List.of(vector(depth - 1)), NONE);
      case 3 -> binary(ValueType.SCALAR, depth);
      case 4 -> new ParenExpr(scalar(depth - 1), NONE);
      case 5 -> unary(ValueType.SCALAR, depth);
      default -> new Call(pick(Function.MIN_OF, Function.MAX_OF), List.of(scalar(depth - 1), scalar(depth - 1)),
          NONE);
    };
  }

  private Expr vector(int depth) {
    int choice = depth <= 0 ? 0 : random.nextInt(9);
    return switch (choice) {
      case 0, 1 -> selector(true);
      case 2 -> binary(ValueType.VECTOR, depth);
      case 3 -> aggregate(depth);
      case 4 -> call(depth);
      case 5 -> new ParenExpr(vector(depth - 1), NONE);
      case 6 -> unary(ValueType.VECTOR, depth);
      case 7 -> new Call(Function.VECTOR, List.of(scalar(depth - 1)), NONE);
      default -> new Call(pick(Function.RATE, Function.INCREASE, Function.CHANGES, Function.MAX_OVER_TIME),
          List.of(matrix(depth - 1)), NONE);
    };
  }

  private Expr matrix(int depth) {
    if (depth > 0 && random.nextInt(3) == 0) {
      Expr inner = vector(depth - 1);
      if (!(inner instanceof VectorSelector || inner instanceof Call || inner instanceof AggregateExpr
          || inner instanceof ParenExpr)) {
        inner = new ParenExpr(inner, NONE);
      }
      boolean stepGiven = random.nextBoolean();
      DurationExpr rangeExpr = random.nextInt(4) == 0 ? durationExpr(2) : null;
      long range = rangeExpr == null ? positiveMillis() : constantMillis(rangeExpr);
      long offset = random.nextInt(3) == 0 ? signedMillis() : 0;
      Long ts = random.nextInt(4) == 0 ? (long) random.nextInt(2_000_000_000) - 1_000_000_000 : null;
      StartOrEnd se = ts == null && random.nextInt(5) == 0 ? pick(StartOrEnd.START, StartOrEnd.END) : null;
      return new SubqueryExpr(inner, range, rangeExpr, stepGiven ? positiveMillis() : 0, null, offset, null, ts, se,
          NONE);
    }
    VectorSelector vs = selector(false);
    DurationExpr rangeExpr = random.nextInt(4) == 0 ? durationExpr(2) : null;
    long range = rangeExpr == null ? positiveMillis() : constantMillis(rangeExpr);
    return new MatrixSelector(vs, range, rangeExpr, NONE);
  }

  private long constantMillis(DurationExpr d) {
    return d.dependsOnQuery() ? 0 : Math.round(d.evaluateSeconds(0, 0) * 1000);
  }

  private VectorSelector selector(boolean instant) {
    String name = random.nextInt(4) == 0 ? "" : METRICS[random.nextInt(METRICS.length)];
    List<Matcher> ms = new ArrayList<>();
    int n = random.nextInt(name.isEmpty() ? 3 : 3) + (name.isEmpty() ? 1 : 0);
    for (int i = 0; i < n; i++) {
      ms.add(matcher(name.isEmpty() && i == 0));
    }
    if (!name.isEmpty()) {
      ms.add(Matcher.equal("__name__", name));
    }
    long offset = random.nextInt(4) == 0 ? signedMillis() : 0;
    DurationExpr offsetExpr = offset == 0 && random.nextInt(8) == 0 ? offsetExpr() : null;
    if (offsetExpr != null) {
      offset = constantMillis(offsetExpr);
    }
    Long ts = random.nextInt(5) == 0 ? (long) random.nextInt(2_000_000_000) - 1_000_000_000 : null;
    StartOrEnd se = ts == null && random.nextInt(6) == 0 ? pick(StartOrEnd.START, StartOrEnd.END) : null;
    boolean anchored = random.nextInt(8) == 0;
    boolean smoothed = !anchored && random.nextInt(8) == 0;
    return new VectorSelector(name, ms, offset, offsetExpr, ts, se, anchored, smoothed, false, NONE);
  }

  private Matcher matcher(boolean mustBeNonEmpty) {
    String label = LABELS[random.nextInt(LABELS.length)];
    if (mustBeNonEmpty) {
      return Matcher.equal(label, "v" + random.nextInt(100));
    }
    MatchType type = MatchType.values()[random.nextInt(4)];
    String value = switch (type) {
      case EQUAL, NOT_EQUAL -> VALUES[random.nextInt(VALUES.length)];
      case REGEX, NOT_REGEX -> REGEXES[random.nextInt(REGEXES.length)];
    };
    return Matcher.of(type, label, value);
  }

  // An offset expression that prints as one unit after 'offset': step(), range(), -step(), min_of/max_of(...).
  private DurationExpr offsetExpr() {
    DurationExpr atom = switch (random.nextInt(3)) {
      case 0 -> new DurationExpr(DurationOp.STEP, null, null, false, NONE);
      case 1 -> new DurationExpr(DurationOp.RANGE, null, null, false, NONE);
      default -> new DurationExpr(pick(DurationOp.MIN_OF, DurationOp.MAX_OF), durationExpr(1), durationExpr(1), false,
          NONE);
    };
    return random.nextBoolean() ? atom : new DurationExpr(DurationOp.NEGATE, null, atom, false, NONE);
  }

  // A duration expression as a range would hold it: nested binary operands are parenthesised.
  private DurationExpr durationExpr(int depth) {
    int choice = depth <= 0 ? random.nextInt(3) : random.nextInt(6);
    return switch (choice) {
      case 0 -> new DurationExpr(DurationOp.STEP, null, null, false, NONE);
      case 1 -> new DurationExpr(DurationOp.RANGE, null, null, false, NONE);
      case 2 -> new DurationExpr(DurationOp.PLUS, null, durationLiteral(), true, NONE);
      case 3 -> new DurationExpr(DurationOp.NEGATE, null, wrapped(durationExpr(depth - 1)), false, NONE);
      case 4 -> new DurationExpr(pick(DurationOp.MIN_OF, DurationOp.MAX_OF), durationOperand(depth - 1),
          durationOperand(depth - 1), false, NONE);
      default -> {
        DurationOp op = pick(DurationOp.ADD, DurationOp.SUB, DurationOp.MUL, DurationOp.POW);
        yield new DurationExpr(op, durationOperand(depth - 1), durationOperand(depth - 1), false, NONE);
      }
    };
  }

  private Expr durationOperand(int depth) {
    if (random.nextBoolean()) {
      return durationLiteral();
    }
    return wrapped(durationExpr(depth));
  }

  private static DurationExpr wrapped(DurationExpr d) {
    return d.op() == DurationOp.STEP || d.op() == DurationOp.RANGE || d.wrapped() ? d
        : new DurationExpr(d.op(), d.lhs(), d.rhs(), true, NONE);
  }

  private NumberLiteral durationLiteral() {
    if (random.nextBoolean()) {
      return new NumberLiteral(random.nextInt(100) + 1, NONE);
    }
    return durationNumber(positiveMillis());
  }

  // The value the parser gives a duration token: nanoseconds divided by 1e9.
  private static NumberLiteral durationNumber(long millis) {
    return new NumberLiteral((millis * 1_000_000L) / 1e9, true, NONE);
  }

  private Expr aggregate(int depth) {
    AggregateOp op = AggregateOp.values()[random.nextInt(AggregateOp.values().length)];
    Expr param = null;
    if (op.hasParam()) {
      param = op == AggregateOp.COUNT_VALUES ? string() : scalar(depth - 1);
    }
    List<String> grouping = new ArrayList<>();
    int n = random.nextInt(3);
    for (int i = 0; i < n; i++) {
      grouping.add(LABELS[random.nextInt(LABELS.length)]);
    }
    boolean without = random.nextInt(3) == 0;
    return new AggregateExpr(op, vector(depth - 1), param, grouping, without, NONE);
  }

  private Expr call(int depth) {
    Function[] simple = {Function.ABS, Function.CEIL, Function.EXP, Function.SORT, Function.TIMESTAMP,
        Function.HISTOGRAM_COUNT, Function.ABSENT, Function.SGN};
    return switch (random.nextInt(5)) {
      case 0 -> new Call(Function.HISTOGRAM_QUANTILE, List.of(scalar(depth - 1), vector(depth - 1)), NONE);
      case 1 -> new Call(Function.LABEL_REPLACE, List.of(vector(depth - 1), string(), string(), string(), string()),
          NONE);
      case 2 -> new Call(Function.ROUND, random.nextBoolean() ? List.of(vector(depth - 1))
          : List.of(vector(depth - 1), scalar(depth - 1)), NONE);
      case 3 -> new Call(Function.CLAMP, List.of(vector(depth - 1), scalar(depth - 1), scalar(depth - 1)), NONE);
      default -> new Call(simple[random.nextInt(simple.length)], List.of(vector(depth - 1)), NONE);
    };
  }

  private Expr unary(ValueType type, int depth) {
    Expr operand = expr(type, depth - 1);
    // Unary minus binds like '*': only '^' may stay unparenthesised; a literal would be folded into the number.
    if (operand instanceof NumberLiteral
        || operand instanceof BinaryExpr b && b.op() != BinaryOp.POW
        || operand instanceof BinaryExpr p && p.lhs() instanceof NumberLiteral n && isNegative(n)) {
      operand = new ParenExpr(operand, NONE);
    }
    return new UnaryExpr(random.nextBoolean() ? UnaryOp.SUB : UnaryOp.ADD, operand, NONE);
  }

  private Expr binary(ValueType type, int depth) {
    BinaryOp op = BinaryOp.values()[random.nextInt(BinaryOp.values().length)];
    if (op.isTrim()) {
      op = BinaryOp.ADD;
    }
    ValueType lt;
    ValueType rt;
    if (type == ValueType.SCALAR) {
      if (op.isSetOperator()) {
        op = BinaryOp.MUL;
      }
      lt = ValueType.SCALAR;
      rt = ValueType.SCALAR;
    } else if (op.isSetOperator()) {
      lt = ValueType.VECTOR;
      rt = ValueType.VECTOR;
    } else {
      int shape = random.nextInt(3);
      lt = shape == 1 ? ValueType.SCALAR : ValueType.VECTOR;
      rt = shape == 2 ? ValueType.SCALAR : ValueType.VECTOR;
    }
    boolean returnBool = op.isComparison() && (type == ValueType.SCALAR || random.nextBoolean());
    Expr lhs = operand(op, expr(lt, depth - 1), true);
    Expr rhs = operand(op, expr(rt, depth - 1), false);
    VectorMatching vm = null;
    if (lt == ValueType.VECTOR && rt == ValueType.VECTOR) {
      vm = matching(op);
    }
    return new BinaryExpr(op, lhs, rhs, vm, returnBool);
  }

  private VectorMatching matching(BinaryOp op) {
    if (op.isSetOperator()) {
      return switch (random.nextInt(3)) {
        case 0 -> new VectorMatching(Cardinality.MANY_TO_MANY, List.of(), false, List.of());
        case 1 -> new VectorMatching(Cardinality.MANY_TO_MANY, List.of("job"), true, List.of());
        default -> new VectorMatching(Cardinality.MANY_TO_MANY, List.of("a", "service.name"), false, List.of());
      };
    }
    boolean on = random.nextBoolean();
    List<String> labels = random.nextBoolean() ? List.of() : List.of("job", "läbel");
    Cardinality card = switch (random.nextInt(4)) {
      case 0 -> Cardinality.MANY_TO_ONE;
      case 1 -> Cardinality.ONE_TO_MANY;
      default -> Cardinality.ONE_TO_ONE;
    };
    List<String> include = card == Cardinality.ONE_TO_ONE || random.nextBoolean() ? List.of() : List.of("le", "b");
    Double fillLeft = null;
    Double fillRight = null;
    switch (random.nextInt(5)) {
      case 0 -> {
        fillLeft = 0.0;
        fillRight = 0.0;
      }
      case 1 -> fillLeft = random.nextBoolean() ? Double.NaN : 1.5;
      case 2 -> {
        fillRight = Double.NEGATIVE_INFINITY;
        fillLeft = 7.0;
      }
      default -> {
        // no fill
      }
    }
    return new VectorMatching(card, labels, on, include, fillLeft, fillRight);
  }

  // Wraps an operand in parentheses where printing without them would change how it parses.
  private static Expr operand(BinaryOp op, Expr e, boolean left) {
    boolean needsParens = false;
    if (e instanceof BinaryExpr b) {
      int p = b.op().precedence();
      needsParens = p < op.precedence() || (p == op.precedence() && (left == op.isRightAssociative()));
    }
    if (op == BinaryOp.POW && left && (e instanceof UnaryExpr || e instanceof NumberLiteral n && isNegative(n))) {
      needsParens = true;
    }
    return needsParens ? new ParenExpr(e, NONE) : e;
  }

  // "-1" and "+Inf" print with a sign, which the parser reads as a unary operator binding looser than '^'.
  private static boolean isNegative(NumberLiteral n) {
    return Double.doubleToRawLongBits(n.value()) < 0 || n.value() == Double.POSITIVE_INFINITY;
  }

  private NumberLiteral number() {
    return switch (random.nextInt(10)) {
      case 0 -> new NumberLiteral(Double.NaN, NONE);
      case 1 -> new NumberLiteral(random.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY, NONE);
      case 2 -> new NumberLiteral(random.nextGaussian() * 1e6, NONE);
      case 3 -> durationNumber(positiveMillis());
      case 4 -> new NumberLiteral(-0.0, NONE);
      case 5 -> new NumberLiteral(Double.longBitsToDouble(random.nextLong() & 0x7FEFFFFFFFFFFFFFL), NONE);
      default -> new NumberLiteral(random.nextInt(1000) - 100, NONE);
    };
  }

  private StringLiteral string() {
    return new StringLiteral(VALUES[random.nextInt(VALUES.length)] + random.nextInt(10), NONE);
  }

  private long positiveMillis() {
    return switch (random.nextInt(4)) {
      case 0 -> 1 + random.nextInt(999);
      case 1 -> 1000L * (1 + random.nextInt(3600));
      case 2 -> 60_000L * (1 + random.nextInt(10_000));
      default -> 1 + (long) random.nextInt(Integer.MAX_VALUE) * 1000;
    };
  }

  private long signedMillis() {
    long v = positiveMillis();
    return random.nextBoolean() ? v : -v;
  }

  @SafeVarargs
  private <T> T pick(T... options) {
    return options[random.nextInt(options.length)];
  }
}
