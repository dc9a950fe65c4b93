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
import dev.orrery.promql.ast.VectorMatching;
import dev.orrery.promql.ast.VectorSelector;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;

/**
 * The syntax pass: a recursive-descent parser with precedence climbing over the tokens of one query, following the
 * grammar of Prometheus' {@code promql/parser/generated_parser.y} (3.x) and the actions in {@code parse.go}. It stops
 * at the first syntax error; the type checks run afterwards in {@link TypeChecker}, as Prometheus only type-checks a
 * syntactically valid query.
 *
 * <p>Where the LALR grammar resolves a conflict in a way that is visible in the language, this parser does the same:
 * {@code offset} takes one signed duration literal, {@code step()}, {@code range()}, {@code min_of}/{@code max_of}
 * call or a parenthesised duration expression, so {@code foo offset 1m + 1m} is {@code (foo offset 1m) + 1m}; inside
 * {@code [...]} the full duration arithmetic applies; unary minus binds like {@code *}; {@code group_left} followed by
 * {@code (} always starts a label list. Single-threaded; one instance per query.
 */
final class Parser {
  private static final double MAX_DURATION_SECONDS = 9.223372036854775807E9; // 2^63 ns

  private final Lexer lexer;
  private final byte[] input;
  private final int maxDepth;
  private final Deque<ErrorContext> errorContexts = new ArrayDeque<>();
  private Token tok;
  private Token lookahead;
  private int prevEnd;
  private int depth;

  /** Where the parser is, for the wording of "unexpected ..." errors (the grammar's error productions). */
  private record ErrorContext(String name, String expected) {}

  Parser(byte[] input, int maxDepth) {
    this.input = input;
    this.lexer = new Lexer(input);
    this.maxDepth = maxDepth;
  }

  /** Parses a whole query (Prometheus' {@code START_EXPRESSION}). */
  Expr parseQuery() {
    advance();
    if (tok.type() == TokenType.EOF) {
      throw error(new PositionRange(0, 0), "no expression found in input");
    }
    Expr e = parseExpr(BinaryOp.LOWEST_PRECEDENCE);
    if (tok.type() != TokenType.EOF) {
      throw unexpected(null, null);
    }
    return e;
  }

  /** Parses a lone vector selector (Prometheus' {@code START_METRIC_SELECTOR}, used for {@code match[]}). */
  VectorSelector parseMetricSelector() {
    advance();
    if (!startsSelector(tok.type())) {
      throw unexpected(null, null);
    }
    VectorSelector vs = parseVectorSelector();
    if (tok.type() != TokenType.EOF) {
      throw unexpected(null, null);
    }
    return vs;
  }

  // ---- token handling -----------------------------------------------------------------------------------------

  private void advance() {
    if (tok != null) {
      prevEnd = tok.end();
    }
    if (lookahead != null) {
      tok = lookahead;
      lookahead = null;
    } else {
      tok = lexer.next();
    }
    if (tok.type() == TokenType.ERROR) {
      throw error(tok.positionRange(), tok.text());
    }
  }

  private Token peek() {
    if (lookahead == null) {
      lookahead = lexer.next();
    }
    return lookahead;
  }

  private void expect(TokenType type, String context, String expected) {
    if (tok.type() != type) {
      throw unexpected(context, expected);
    }
    advance();
  }

  PromqlParseException error(PositionRange pos, String message) {
    return new PromqlParseException(pos, message, input);
  }

  /** Prometheus' {@code unexpected(context, expected)}; without a context the innermost enclosing one is used. */
  private PromqlParseException unexpected(String context, String expected) {
    String ctx = context;
    String exp = expected;
    if (ctx == null && !errorContexts.isEmpty()) {
      ctx = errorContexts.peek().name();
      exp = errorContexts.peek().expected();
    }
    StringBuilder msg = new StringBuilder("unexpected ").append(tok.describe());
    if (ctx != null) {
      msg.append(" in ").append(ctx);
    }
    if (exp != null) {
      msg.append(", expected ").append(exp);
    }
    return error(tok.positionRange(), msg.toString());
  }

  private void enterNesting() {
    if (++depth > maxDepth) {
      throw error(tok.positionRange(), "expression nesting is too deep (more than " + maxDepth + " levels)");
    }
  }

  // ---- expressions --------------------------------------------------------------------------------------------

  private Expr parseExpr(int minPrecedence) {
    enterNesting();
    Expr lhs = parseUnary();
    while (true) {
      BinaryOp op = binaryOp(tok.type());
      if (op == null || op.precedence() < minPrecedence) {
        break;
      }
      advance();
      boolean returnBool = false;
      if (tok.type() == TokenType.BOOL) {
        returnBool = true;
        advance();
      }
      VectorMatching matching = parseVectorMatching();
      Expr rhs = parseExpr(op.isRightAssociative() ? op.precedence() : op.precedence() + 1);
      lhs = new BinaryExpr(op, lhs, rhs, matching, returnBool);
    }
    depth--;
    return lhs;
  }

  private static BinaryOp binaryOp(TokenType t) {
    return switch (t) {
      case ADD -> BinaryOp.ADD;
      case SUB -> BinaryOp.SUB;
      case MUL -> BinaryOp.MUL;
      case DIV -> BinaryOp.DIV;
      case MOD -> BinaryOp.MOD;
      case POW -> BinaryOp.POW;
      case ATAN2 -> BinaryOp.ATAN2;
      case EQLC -> BinaryOp.EQLC;
      case NEQ -> BinaryOp.NEQ;
      case GTR -> BinaryOp.GTR;
      case LSS -> BinaryOp.LSS;
      case GTE -> BinaryOp.GTE;
      case LTE -> BinaryOp.LTE;
      case TRIM_UPPER -> BinaryOp.TRIM_UPPER;
      case TRIM_LOWER -> BinaryOp.TRIM_LOWER;
      case LAND -> BinaryOp.AND;
      case LOR -> BinaryOp.OR;
      case LUNLESS -> BinaryOp.UNLESS;
      default -> null;
    };
  }

  // bin_modifier: [on|ignoring (labels) [group_left|group_right [(labels)]]] [fill modifiers]; 'bool' is consumed
  // by the caller.
  private VectorMatching parseVectorMatching() {
    Cardinality card = Cardinality.ONE_TO_ONE;
    List<String> matchingLabels = List.of();
    List<String> include = List.of();
    boolean on = false;
    if (tok.type() == TokenType.ON || tok.type() == TokenType.IGNORING) {
      on = tok.type() == TokenType.ON;
      advance();
      matchingLabels = parseGroupingLabels();
      if (tok.type() == TokenType.GROUP_LEFT || tok.type() == TokenType.GROUP_RIGHT) {
        card = tok.type() == TokenType.GROUP_LEFT ? Cardinality.MANY_TO_ONE : Cardinality.ONE_TO_MANY;
        advance();
        if (tok.type() == TokenType.LEFT_PAREN) {
          include = parseGroupingLabels();
        }
      }
    }
    Double fillLeft = null;
    Double fillRight = null;
    boolean sawFill = false;
    while (tok.type() == TokenType.FILL || tok.type() == TokenType.FILL_LEFT || tok.type() == TokenType.FILL_RIGHT) {
      Token fillTok = tok;
      advance();
      double value = parseFillValue(fillTok);
      boolean duplicate = switch (fillTok.type()) {
        case FILL -> sawFill || fillLeft != null || fillRight != null;
        case FILL_LEFT -> sawFill || fillLeft != null;
        default -> sawFill || fillRight != null;
      };
      if (duplicate) {
        throw error(fillTok.positionRange(), "fill modifiers may not be set multiple times");
      }
      if (fillTok.type() == TokenType.FILL) {
        sawFill = true;
        fillLeft = value;
        fillRight = value;
      } else if (fillTok.type() == TokenType.FILL_LEFT) {
        fillLeft = value;
      } else {
        fillRight = value;
      }
    }
    return new VectorMatching(card, matchingLabels, on, include, fillLeft, fillRight);
  }

  // FILL '(' signed_or_unsigned_number ')'
  private double parseFillValue(Token fillTok) {
    String ctx = fillTok.text().toLowerCase(Locale.ROOT) + " modifier";
    expect(TokenType.LEFT_PAREN, ctx, "\"(\"");
    double sign = 1;
    if (tok.type() == TokenType.ADD || tok.type() == TokenType.SUB) {
      sign = tok.type() == TokenType.SUB ? -1 : 1;
      advance();
    }
    if (tok.type() != TokenType.NUMBER && tok.type() != TokenType.DURATION) {
      throw unexpected(ctx, "number");
    }
    double v = sign * numberValue(tok);
    advance();
    expect(TokenType.RIGHT_PAREN, ctx, "\")\"");
    return v;
  }

  // unary_expr: unary_op expr %prec MUL; a sign in front of a number literal is folded into it.
  private Expr parseUnary() {
    if (tok.type() != TokenType.ADD && tok.type() != TokenType.SUB) {
      return parsePostfix(parsePrimary());
    }
    Token opTok = tok;
    advance();
    Expr operand = parseExpr(BinaryOp.POW.precedence());
    PositionRange pos = new PositionRange(opTok.start(), operand.positionRange().end());
    if (operand instanceof NumberLiteral n) {
      double v = opTok.type() == TokenType.SUB ? -n.value() : n.value();
      return new NumberLiteral(v, n.duration(), pos);
    }
    return new UnaryExpr(opTok.type() == TokenType.SUB ? UnaryOp.SUB : UnaryOp.ADD, operand, pos);
  }

  private Expr parsePrimary() {
    Token t = tok;
    switch (t.type()) {
      case NUMBER -> {
        double v = numberValue(t);
        advance();
        return new NumberLiteral(v, t.positionRange());
      }
      case DURATION -> {
        double v = durationSeconds(t);
        advance();
        return new NumberLiteral(v, true, t.positionRange());
      }
      case STRING -> {
        advance();
        return new StringLiteral(StringLiteralDecoder.decode(t.text()), t.positionRange());
      }
      case LEFT_PAREN -> {
        return parseParen();
      }
      case LEFT_BRACE, METRIC_IDENTIFIER, BY, WITHOUT, OFFSET, ANCHORED, SMOOTHED, LAND, LOR, LUNLESS -> {
        return parseVectorSelector();
      }
      case AGGREGATOR -> {
        TokenType next = peek().type();
        if (next == TokenType.LEFT_PAREN || next == TokenType.BY || next == TokenType.WITHOUT) {
          return parseAggregation();
        }
        return parseVectorSelector();
      }
      case IDENTIFIER, START, END, STEP, RANGE -> {
        if (peek().type() == TokenType.LEFT_PAREN) {
          return parseCall();
        }
        return parseVectorSelector();
      }
      default -> throw unexpected(null, null);
    }
  }

  private static boolean startsSelector(TokenType t) {
    return switch (t) {
      case LEFT_BRACE, IDENTIFIER, METRIC_IDENTIFIER, AGGREGATOR, BY, WITHOUT, OFFSET, ANCHORED, SMOOTHED, LAND,
          LOR, LUNLESS, START, END, STEP, RANGE -> true;
      default -> false;
    };
  }

  private Expr parseParen() {
    Token open = tok;
    advance();
    Expr inner = parseExpr(BinaryOp.LOWEST_PRECEDENCE);
    if (tok.type() != TokenType.RIGHT_PAREN) {
      throw unexpected(null, null);
    }
    advance();
    return new ParenExpr(inner, new PositionRange(open.start(), prevEnd));
  }

  // ---- selectors ----------------------------------------------------------------------------------------------

  private VectorSelector parseVectorSelector() {
    int start = tok.start();
    String name = "";
    if (tok.type() != TokenType.LEFT_BRACE) {
      name = tok.text();
      advance();
    }
    List<Matcher> matchers = new ArrayList<>();
    if (tok.type() == TokenType.LEFT_BRACE) {
      advance();
      parseLabelMatchers(matchers);
    }
    if (!name.isEmpty()) {
      // As Prometheus' assembleVectorSelector: the name outside the braces becomes the last matcher.
      matchers.add(Matcher.equal("__name__", name));
    }
    return new VectorSelector(name, matchers, new PositionRange(start, prevEnd));
  }

  // After '{': label_match_list [','] '}'
  private void parseLabelMatchers(List<Matcher> out) {
    if (tok.type() == TokenType.RIGHT_BRACE) {
      advance();
      return;
    }
    while (true) {
      out.add(parseLabelMatcher());
      if (tok.type() == TokenType.COMMA) {
        advance();
        if (tok.type() == TokenType.RIGHT_BRACE) {
          advance();
          return;
        }
        continue;
      }
      if (tok.type() == TokenType.RIGHT_BRACE) {
        advance();
        return;
      }
      throw unexpected("label matching", "\",\" or \"}\"");
    }
  }

  private Matcher parseLabelMatcher() {
    Token nameTok = tok;
    String labelName;
    if (tok.type() == TokenType.IDENTIFIER) {
      labelName = tok.text();
      advance();
      if (matchType(tok.type()) == null) {
        throw unexpected("label matching", "label matching operator");
      }
    } else if (tok.type() == TokenType.STRING) {
      labelName = StringLiteralDecoder.decode(tok.text());
      advance();
      if (matchType(tok.type()) == null) {
        // A lone quoted string is the metric name: {"my.metric"}.
        return newMatcher(MatchType.EQUAL, "__name__", labelName, nameTok.positionRange());
      }
    } else {
      throw unexpected("label matching", "identifier or \"}\"");
    }
    MatchType type = matchType(tok.type());
    advance();
    if (tok.type() != TokenType.STRING) {
      throw unexpected("label matching", "string");
    }
    Token valueTok = tok;
    advance();
    return newMatcher(type, labelName, StringLiteralDecoder.decode(valueTok.text()),
        new PositionRange(nameTok.start(), valueTok.end()));
  }

  private static MatchType matchType(TokenType t) {
    return switch (t) {
      case EQL -> MatchType.EQUAL;
      case NEQ -> MatchType.NOT_EQUAL;
      case EQL_REGEX -> MatchType.REGEX;
      case NEQ_REGEX -> MatchType.NOT_REGEX;
      default -> null;
    };
  }

  private Matcher newMatcher(MatchType type, String name, String value, PositionRange pos) {
    try {
      return Matcher.of(type, name, value);
    } catch (IllegalArgumentException e) {
      // Matcher.of reports a bad regex with Go's wording ("error parsing regexp: ...").
      throw error(pos, String.valueOf(e.getMessage()));
    }
  }

  private Expr parsePostfix(Expr expr) {
    Expr e = expr;
    while (true) {
      switch (tok.type()) {
        case LEFT_BRACKET -> e = parseRangeOrSubquery(e);
        case OFFSET -> e = parseOffset(e);
        case AT -> e = parseAt(e);
        case ANCHORED, SMOOTHED -> e = parseAnchoredOrSmoothed(e);
        default -> {
          return e;
        }
      }
    }
  }

  private Expr parseRangeOrSubquery(Expr e) {
    Token open = tok;
    advance();
    errorContexts.push(new ErrorContext("subquery or range selector", "number, duration, step(), or range()"));
    if (!startsDuration(tok)) {
      throw unexpected(null, null);
    }
    Expr range = parsePositiveDuration();
    errorContexts.pop();
    if (tok.type() == TokenType.RIGHT_BRACKET) {
      Token close = tok;
      advance();
      String problem = null;
      if (!(e instanceof VectorSelector vs)) {
        problem = "ranges only allowed for vector selectors";
      } else if (vs.hasOffset()) {
        problem = "no offset modifiers allowed before range";
      } else if (vs.hasAt()) {
        problem = "no @ modifiers allowed before range";
      }
      if (problem != null) {
        throw error(new PositionRange(open.start(), close.end()), problem);
      }
      VectorSelector vs = (VectorSelector) e;
      return new MatrixSelector(vs, durationMillis(range), asDurationExpr(range),
          new PositionRange(vs.positionRange().start(), close.end()));
    }
    if (tok.type() != TokenType.COLON) {
      throw unexpected("subquery or range", "\":\" or \"]\"");
    }
    advance();
    Expr step = null;
    if (tok.type() != TokenType.RIGHT_BRACKET) {
      errorContexts.push(new ErrorContext("subquery selector", "number, duration, step(), range(), or \"]\""));
      if (!startsDuration(tok)) {
        throw unexpected(null, null);
      }
      step = parsePositiveDuration();
      errorContexts.pop();
      if (tok.type() != TokenType.RIGHT_BRACKET) {
        throw unexpected("subquery selector", "\"]\"");
      }
    }
    advance();
    return new SubqueryExpr(e, durationMillis(range), asDurationExpr(range),
        step == null ? 0 : durationMillis(step), step == null ? null : asDurationExpr(step),
        0, null, null, null, new PositionRange(e.positionRange().start(), prevEnd));
  }

  private Expr parseOffset(Expr e) {
    advance();
    errorContexts.push(new ErrorContext("offset", "number, duration, step(), or range()"));
    Expr d = parseOffsetDuration();
    errorContexts.pop();
    long millis = durationMillis(d);
    DurationExpr expr = asDurationExpr(d);
    PositionRange end = new PositionRange(e.positionRange().start(), prevEnd);
    return switch (e) {
      case VectorSelector vs -> {
        checkOffsetUnset(vs.hasOffset(), e);
        yield vs.withOffset(millis, expr, end);
      }
      case MatrixSelector m -> {
        checkOffsetUnset(m.vectorSelector().hasOffset(), e);
        VectorSelector vs = m.vectorSelector();
        yield m.withVectorSelector(vs.withOffset(millis, expr, vs.positionRange()), end);
      }
      case SubqueryExpr s -> {
        checkOffsetUnset(s.hasOffset(), e);
        yield s.withOffset(millis, expr, end);
      }
      default -> throw error(e.positionRange(),
          "offset modifier must be preceded by an instant vector selector or range vector selector or a subquery");
    };
  }

  private void checkOffsetUnset(boolean alreadySet, Expr e) {
    if (alreadySet) {
      throw error(e.positionRange(), "offset may not be set multiple times");
    }
  }

  private Expr parseAt(Expr e) {
    advance();
    Long timestamp = null;
    StartOrEnd startOrEnd = null;
    switch (tok.type()) {
      case NUMBER, DURATION, ADD, SUB -> {
        double sign = 1;
        if (tok.type() == TokenType.ADD || tok.type() == TokenType.SUB) {
          sign = tok.type() == TokenType.SUB ? -1 : 1;
          advance();
          if (tok.type() != TokenType.NUMBER && tok.type() != TokenType.DURATION) {
            throw unexpected("@", "timestamp");
          }
        }
        double seconds = sign * numberValue(tok);
        advance();
        if (Double.isNaN(seconds) || Double.isInfinite(seconds) || seconds >= 9.223372036854775807E18
            || seconds <= -9.223372036854775808E18) {
          throw error(e.positionRange(), "timestamp out of bounds for @ modifier: " + goFormatF(seconds));
        }
        // timestamp.FromFloatSeconds: math.Round(ts * 1000), halves away from zero.
        double ms = seconds * 1000;
        timestamp = ms < 0 ? -Math.round(-ms) : Math.round(ms);
      }
      case START, END -> {
        startOrEnd = tok.type() == TokenType.START ? StartOrEnd.START : StartOrEnd.END;
        advance();
        expect(TokenType.LEFT_PAREN, "@", "timestamp");
        expect(TokenType.RIGHT_PAREN, "@", "timestamp");
      }
      default -> throw unexpected("@", "timestamp");
    }
    PositionRange end = new PositionRange(e.positionRange().start(), prevEnd);
    String notAllowed =
        "@ modifier must be preceded by an instant vector selector or range vector selector or a subquery";
    String twice = "@ <timestamp> may not be set multiple times";
    return switch (e) {
      case VectorSelector vs -> {
        if (vs.hasAt()) {
          throw error(e.positionRange(), twice);
        }
        yield vs.withAt(timestamp, startOrEnd, end);
      }
      case MatrixSelector m -> {
        VectorSelector vs = m.vectorSelector();
        if (vs.hasAt()) {
          throw error(e.positionRange(), twice);
        }
        yield m.withVectorSelector(vs.withAt(timestamp, startOrEnd, vs.positionRange()), end);
      }
      case SubqueryExpr s -> {
        if (s.hasAt()) {
          throw error(e.positionRange(), twice);
        }
        yield s.withAt(timestamp, startOrEnd, end);
      }
      default -> throw error(e.positionRange(), notAllowed);
    };
  }

  private Expr parseAnchoredOrSmoothed(Expr e) {
    Token t = tok;
    advance();
    boolean anchored = t.type() == TokenType.ANCHORED;
    String word = anchored ? "anchored" : "smoothed";
    VectorSelector vs;
    if (e instanceof VectorSelector v) {
      vs = v;
    } else if (e instanceof MatrixSelector m) {
      vs = m.vectorSelector();
    } else {
      throw error(e.positionRange(),
          word + " modifier must be preceded by an instant vector selector or range vector selector");
    }
    if (anchored ? vs.anchored() : vs.smoothed()) {
      throw error(e.positionRange(), word + " modifier may not be set multiple times");
    }
    if (anchored ? vs.smoothed() : vs.anchored()) {
      throw error(e.positionRange(), "anchored and smoothed modifiers cannot be used together");
    }
    PositionRange end = new PositionRange(e.positionRange().start(), prevEnd);
    if (e instanceof MatrixSelector m) {
      return m.withVectorSelector(vs.withAnchoredSmoothed(anchored, !anchored, vs.positionRange()), end);
    }
    return vs.withAnchoredSmoothed(anchored, !anchored, end);
  }

  // ---- aggregations and calls ---------------------------------------------------------------------------------

  private Expr parseAggregation() {
    Token opTok = tok;
    AggregateOp op = AggregateOp.fromName(opTok.text());
    advance();
    List<String> grouping = List.of();
    boolean without = false;
    boolean modifierFirst = false;
    if (tok.type() == TokenType.BY || tok.type() == TokenType.WITHOUT) {
      without = tok.type() == TokenType.WITHOUT;
      advance();
      grouping = parseGroupingLabels();
      modifierFirst = true;
    }
    if (tok.type() != TokenType.LEFT_PAREN) {
      throw unexpected("aggregation", null);
    }
    errorContexts.push(new ErrorContext("aggregation", null));
    List<Expr> args = parseCallBody();
    errorContexts.pop();
    if (!modifierFirst && (tok.type() == TokenType.BY || tok.type() == TokenType.WITHOUT)) {
      without = tok.type() == TokenType.WITHOUT;
      advance();
      grouping = parseGroupingLabels();
    }
    PositionRange pos = new PositionRange(opTok.start(), prevEnd);
    if (args.isEmpty()) {
      throw error(pos, "no arguments for aggregate expression provided");
    }
    int desired = op.hasParam() ? 2 : 1;
    if (args.size() != desired) {
      throw error(pos, "wrong number of arguments for aggregate expression provided, expected " + desired + ", got "
          + args.size());
    }
    Expr param = op.hasParam() ? args.get(0) : null;
    Expr body = args.get(args.size() - 1);
    return new AggregateExpr(op, body, param, grouping, without, pos);
  }

  // '(' [label {',' label} [',']] ')', where a label may be a keyword or a quoted UTF-8 name.
  private List<String> parseGroupingLabels() {
    if (tok.type() != TokenType.LEFT_PAREN) {
      throw unexpected("grouping opts", "\"(\"");
    }
    advance();
    List<String> labels = new ArrayList<>();
    if (tok.type() == TokenType.RIGHT_PAREN) {
      advance();
      return labels;
    }
    while (true) {
      if (tok.type() == TokenType.STRING) {
        String name = StringLiteralDecoder.decode(tok.text());
        if (name.isEmpty() || !isValidUtf8(name)) {
          throw error(tok.positionRange(), "invalid label name for grouping: " + Token.goQuote(name));
        }
        labels.add(name);
      } else if (isMaybeLabel(tok.type())) {
        labels.add(tok.text());
      } else {
        throw unexpected("grouping opts", "label");
      }
      advance();
      if (tok.type() == TokenType.COMMA) {
        advance();
        if (tok.type() == TokenType.RIGHT_PAREN) {
          advance();
          return labels;
        }
        continue;
      }
      if (tok.type() == TokenType.RIGHT_PAREN) {
        advance();
        return labels;
      }
      throw unexpected("grouping opts", "\",\" or \")\"");
    }
  }

  // maybe_label: identifiers and the keywords that may also be label names.
  private static boolean isMaybeLabel(TokenType t) {
    return switch (t) {
      case IDENTIFIER, METRIC_IDENTIFIER, AGGREGATOR, BOOL, BY, GROUP_LEFT, GROUP_RIGHT, IGNORING, LAND, LOR,
          LUNLESS, OFFSET, ON, WITHOUT, START, END, ATAN2, STEP, RANGE, ANCHORED, SMOOTHED, FILL, FILL_LEFT,
          FILL_RIGHT -> true;
      default -> false;
    };
  }

  private static boolean isValidUtf8(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  private Expr parseCall() {
    Token nameTok = tok;
    advance();
    List<Expr> args = parseCallBody();
    PositionRange pos = new PositionRange(nameTok.start(), prevEnd);
    // Keyword-spelled functions (start, end, step, range) are case-insensitive like all keywords.
    String name = nameTok.type() == TokenType.IDENTIFIER ? nameTok.text() : nameTok.text().toLowerCase(Locale.ROOT);
    Function fn = Function.fromName(name);
    if (fn == null) {
      throw error(nameTok.positionRange(), "unknown function with name " + Token.goQuote(nameTok.text()));
    }
    if (fn == Function.INFO && args.size() > 1) {
      // The second argument of info() is a bare label selector, whose matchers may all match the empty string.
      Expr selector = args.get(1);
      if (!(selector instanceof VectorSelector vs)) {
        throw error(selector.positionRange(), "expected label selectors only");
      }
      if (!vs.name().isEmpty()) {
        throw error(selector.positionRange(), "expected label selectors only, got vector selector instead");
      }
      List<Expr> patched = new ArrayList<>(args);
      patched.set(1, vs.withBypassEmptyMatcherCheck(true));
      args = patched;
    }
    return new Call(fn, args, pos);
  }

  // '(' [expr {',' expr}] ')'
  private List<Expr> parseCallBody() {
    advance();
    List<Expr> args = new ArrayList<>();
    if (tok.type() == TokenType.RIGHT_PAREN) {
      advance();
      return args;
    }
    while (true) {
      args.add(parseExpr(BinaryOp.LOWEST_PRECEDENCE));
      if (tok.type() == TokenType.COMMA) {
        Token comma = tok;
        advance();
        if (tok.type() == TokenType.RIGHT_PAREN) {
          throw error(comma.positionRange(), "trailing commas not allowed in function call args");
        }
        continue;
      }
      if (tok.type() == TokenType.RIGHT_PAREN) {
        advance();
        return args;
      }
      throw unexpected(null, null);
    }
  }

  // ---- durations ----------------------------------------------------------------------------------------------

  private static boolean startsDuration(Token t) {
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
  private Expr parsePositiveDuration() {
    Expr d = parseDurationExpr(BinaryOp.LOWEST_PRECEDENCE);
    if (d instanceof NumberLiteral n && !(n.value() > 0)) {
      throw error(n.positionRange(), "duration must be greater than 0");
    }
    return d;
  }

  // offset_duration_expr: one signed literal, step(), range(), min_of/max_of(...), -(...), or a parenthesised
  // duration expression that may continue with operators.
  private Expr parseOffsetDuration() {
    switch (tok.type()) {
      case NUMBER, DURATION -> {
        return durationLiteral();
      }
      case ADD, SUB -> {
        Token sign = tok;
        advance();
        Expr operand;
        if (tok.type() == TokenType.NUMBER || tok.type() == TokenType.DURATION) {
          operand = durationLiteral();
        } else if (tok.type() == TokenType.LEFT_PAREN) {
          operand = parseDurationParen();
        } else if (isDurationCallStart(tok)) {
          operand = parseDurationCall();
        } else {
          throw unexpected(null, null);
        }
        return applySign(sign, operand);
      }
      case LEFT_PAREN -> {
        return parseDurationExpr(BinaryOp.LOWEST_PRECEDENCE);
      }
      default -> {
        if (isDurationCallStart(tok)) {
          return parseDurationCall();
        }
        throw unexpected(null, null);
      }
    }
  }

  private boolean isDurationCallStart(Token t) {
    return t.type() == TokenType.STEP || t.type() == TokenType.RANGE || t.type() == TokenType.MIN_OF
        || t.type() == TokenType.MAX_OF || isMinMaxWord(t);
  }

  private Expr parseDurationExpr(int minPrecedence) {
    enterNesting();
    Expr lhs = parseDurationUnary();
    while (true) {
      DurationOp op = switch (tok.type()) {
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
      Token opTok = tok;
      advance();
      Expr rhs = parseDurationExpr(op == DurationOp.POW ? precedence : precedence + 1);
      if ((op == DurationOp.DIV || op == DurationOp.MOD) && rhs instanceof NumberLiteral n && n.value() == 0) {
        throw error(opTok.positionRange(), op == DurationOp.DIV ? "division by zero" : "modulo by zero");
      }
      lhs = new DurationExpr(op, lhs, rhs, false, lhs.positionRange().union(rhs.positionRange()));
    }
    depth--;
    return lhs;
  }

  private Expr parseDurationUnary() {
    if (tok.type() == TokenType.ADD || tok.type() == TokenType.SUB) {
      Token sign = tok;
      advance();
      Expr operand = parseDurationExpr(BinaryOp.POW.precedence());
      return applySign(sign, operand);
    }
    return switch (tok.type()) {
      case NUMBER, DURATION -> durationLiteral();
      case LEFT_PAREN -> parseDurationParen();
      default -> {
        if (isDurationCallStart(tok)) {
          yield parseDurationCall();
        }
        throw unexpected(null, null);
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
    Token open = tok;
    advance();
    Expr inner = parseDurationExpr(BinaryOp.LOWEST_PRECEDENCE);
    expect(TokenType.RIGHT_PAREN, null, null);
    PositionRange pos = new PositionRange(open.start(), prevEnd);
    if (inner instanceof DurationExpr d) {
      return new DurationExpr(d.op(), d.lhs(), d.rhs(), true, pos);
    }
    // As Prometheus: a literal in parentheses becomes a wrapped unary '+', so the parentheses print back.
    return new DurationExpr(DurationOp.PLUS, null, inner, true, pos);
  }

  // step(), range(), min_of(a, b), max_of(a, b)
  private Expr parseDurationCall() {
    Token name = tok;
    advance();
    expect(TokenType.LEFT_PAREN, null, null);
    if (name.type() == TokenType.STEP || name.type() == TokenType.RANGE) {
      expect(TokenType.RIGHT_PAREN, null, null);
      DurationOp op = name.type() == TokenType.STEP ? DurationOp.STEP : DurationOp.RANGE;
      return new DurationExpr(op, null, null, false, new PositionRange(name.start(), prevEnd));
    }
    boolean min = name.type() == TokenType.MIN_OF || name.text().toLowerCase(Locale.ROOT).startsWith("min");
    Expr a = parseDurationExpr(BinaryOp.LOWEST_PRECEDENCE);
    expect(TokenType.COMMA, null, null);
    Expr b = parseDurationExpr(BinaryOp.LOWEST_PRECEDENCE);
    expect(TokenType.RIGHT_PAREN, null, null);
    return new DurationExpr(min ? DurationOp.MIN_OF : DurationOp.MAX_OF, a, b, false,
        new PositionRange(name.start(), prevEnd));
  }

  private NumberLiteral durationLiteral() {
    Token t = tok;
    NumberLiteral n;
    if (t.type() == TokenType.DURATION) {
      n = new NumberLiteral(durationSeconds(t), true, t.positionRange());
    } else {
      n = new NumberLiteral(numberValue(t), t.positionRange());
    }
    checkDurationRange(n.value(), t.positionRange());
    advance();
    return n;
  }

  private void checkDurationRange(double seconds, PositionRange pos) {
    if (!(Math.abs(seconds) <= MAX_DURATION_SECONDS)) {
      throw error(pos, "duration out of range");
    }
  }

  private static long durationMillis(Expr d) {
    return switch (d) {
      case NumberLiteral n -> Math.round(n.value() * 1000);
      case DurationExpr e -> e.dependsOnQuery() ? 0 : Math.round(e.evaluateSeconds(0, 0) * 1000);
      default -> throw new IllegalStateException("not a duration: " + d);
    };
  }

  private static DurationExpr asDurationExpr(Expr d) {
    return d instanceof DurationExpr e ? e : null;
  }

  // ---- literals -----------------------------------------------------------------------------------------------

  private double numberValue(Token t) {
    try {
      return t.type() == TokenType.DURATION ? Literals.parseDurationSeconds(t.text()) : Literals.parseNumber(t.text());
    } catch (Literals.InvalidLiteralException e) {
      throw error(t.positionRange(), e.getMessage());
    }
  }

  private double durationSeconds(Token t) {
    try {
      return Literals.parseDurationSeconds(t.text());
    } catch (Literals.InvalidLiteralException e) {
      throw error(t.positionRange(), e.getMessage());
    }
  }

  // Go's fmt "%f": six decimals, +Inf, -Inf, NaN.
  private static String goFormatF(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    return new BigDecimal(v).setScale(6, RoundingMode.HALF_EVEN).toPlainString();
  }
}
