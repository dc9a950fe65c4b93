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
import java.util.ArrayList;
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
 * {@code (} always starts a label list. Durations are parsed by {@link DurationParser}, tokens come from a {@link
 * TokenStream}. Single-threaded; one instance per query.
 */
final class Parser {
  private final TokenStream ts;
  private final DurationParser durations;

  Parser(byte[] input, int maxDepth) {
    this.ts = new TokenStream(input, maxDepth);
    this.durations = new DurationParser(ts);
  }

  /** Parses a whole query (Prometheus' {@code START_EXPRESSION}). */
  Expr parseQuery() {
    ts.advance();
    if (ts.type() == TokenType.EOF) {
      throw ts.error(new PositionRange(0, 0), "no expression found in input");
    }
    Expr e = parseExpr(BinaryOp.LOWEST_PRECEDENCE);
    if (ts.type() != TokenType.EOF) {
      throw ts.unexpected(null, null);
    }
    return e;
  }

  /** Parses a lone vector selector (Prometheus' {@code START_METRIC_SELECTOR}, used for {@code match[]}). */
  VectorSelector parseMetricSelector() {
    ts.advance();
    if (!startsSelector(ts.type())) {
      throw ts.unexpected(null, null);
    }
    VectorSelector vs = parseVectorSelector();
    if (ts.type() != TokenType.EOF) {
      throw ts.unexpected(null, null);
    }
    return vs;
  }

  // ---- expressions --------------------------------------------------------------------------------------------

  private Expr parseExpr(int minPrecedence) {
    ts.enterNesting();
    Expr lhs = parseUnary();
    while (true) {
      BinaryOp op = binaryOp(ts.type());
      if (op == null || op.precedence() < minPrecedence) {
        break;
      }
      ts.advance();
      boolean returnBool = false;
      if (ts.type() == TokenType.BOOL) {
        returnBool = true;
        ts.advance();
      }
      VectorMatching matching = parseVectorMatching();
      Expr rhs = parseExpr(op.isRightAssociative() ? op.precedence() : op.precedence() + 1);
      lhs = new BinaryExpr(op, lhs, rhs, matching, returnBool);
    }
    ts.leaveNesting(1);
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
    if (ts.type() == TokenType.ON || ts.type() == TokenType.IGNORING) {
      on = ts.type() == TokenType.ON;
      ts.advance();
      matchingLabels = parseGroupingLabels();
      if (ts.type() == TokenType.GROUP_LEFT || ts.type() == TokenType.GROUP_RIGHT) {
        card = ts.type() == TokenType.GROUP_LEFT ? Cardinality.MANY_TO_ONE : Cardinality.ONE_TO_MANY;
        ts.advance();
        if (ts.type() == TokenType.LEFT_PAREN) {
          include = parseGroupingLabels();
        }
      }
    }
    Double fillLeft = null;
    Double fillRight = null;
    boolean sawFill = false;
    while (ts.type() == TokenType.FILL || ts.type() == TokenType.FILL_LEFT || ts.type() == TokenType.FILL_RIGHT) {
      Token fillTok = ts.tok();
      ts.advance();
      double value = parseFillValue(fillTok);
      boolean duplicate = switch (fillTok.type()) {
        case FILL -> sawFill || fillLeft != null || fillRight != null;
        case FILL_LEFT -> sawFill || fillLeft != null;
        default -> sawFill || fillRight != null;
      };
      if (duplicate) {
        throw ts.error(fillTok.positionRange(), "fill modifiers may not be set multiple times");
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
    ts.expect(TokenType.LEFT_PAREN, ctx, "\"(\"");
    double sign = 1;
    if (ts.type() == TokenType.ADD || ts.type() == TokenType.SUB) {
      sign = ts.type() == TokenType.SUB ? -1 : 1;
      ts.advance();
    }
    if (ts.type() != TokenType.NUMBER && ts.type() != TokenType.DURATION) {
      throw ts.unexpected(ctx, "number");
    }
    double v = sign * ts.numberValue(ts.tok());
    ts.advance();
    ts.expect(TokenType.RIGHT_PAREN, ctx, "\")\"");
    return v;
  }

  // unary_expr: unary_op expr %prec MUL; a sign in front of a number literal is folded into it.
  private Expr parseUnary() {
    if (ts.type() != TokenType.ADD && ts.type() != TokenType.SUB) {
      return parsePostfix(parsePrimary());
    }
    Token opTok = ts.tok();
    ts.advance();
    Expr operand = parseExpr(BinaryOp.POW.precedence());
    PositionRange pos = new PositionRange(opTok.start(), operand.positionRange().end());
    if (operand instanceof NumberLiteral n) {
      double v = opTok.type() == TokenType.SUB ? -n.value() : n.value();
      return new NumberLiteral(v, n.duration(), pos);
    }
    return new UnaryExpr(opTok.type() == TokenType.SUB ? UnaryOp.SUB : UnaryOp.ADD, operand, pos);
  }

  private Expr parsePrimary() {
    Token t = ts.tok();
    switch (t.type()) {
      case NUMBER -> {
        double v = ts.numberValue(t);
        ts.advance();
        return new NumberLiteral(v, t.positionRange());
      }
      case DURATION -> {
        double v = ts.numberValue(t);
        ts.advance();
        return new NumberLiteral(v, true, t.positionRange());
      }
      case STRING -> {
        ts.advance();
        return new StringLiteral(StringLiteralDecoder.decode(t.text()), t.positionRange());
      }
      case LEFT_PAREN -> {
        return parseParen();
      }
      case LEFT_BRACE, METRIC_IDENTIFIER, BY, WITHOUT, OFFSET, ANCHORED, SMOOTHED, LAND, LOR, LUNLESS -> {
        return parseVectorSelector();
      }
      case AGGREGATOR -> {
        TokenType next = ts.peek().type();
        if (next == TokenType.LEFT_PAREN || next == TokenType.BY || next == TokenType.WITHOUT) {
          return parseAggregation();
        }
        return parseVectorSelector();
      }
      case IDENTIFIER, START, END, STEP, RANGE -> {
        if (ts.peek().type() == TokenType.LEFT_PAREN) {
          return parseCall();
        }
        return parseVectorSelector();
      }
      default -> throw ts.unexpected(null, null);
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
    Token open = ts.tok();
    ts.advance();
    Expr inner = parseExpr(BinaryOp.LOWEST_PRECEDENCE);
    if (ts.type() != TokenType.RIGHT_PAREN) {
      throw ts.unexpected(null, null);
    }
    ts.advance();
    return new ParenExpr(inner, new PositionRange(open.start(), ts.prevEnd()));
  }

  // ---- selectors ----------------------------------------------------------------------------------------------

  private VectorSelector parseVectorSelector() {
    int start = ts.tok().start();
    String name = "";
    if (ts.type() != TokenType.LEFT_BRACE) {
      name = ts.tok().text();
      ts.advance();
    }
    List<Matcher> matchers = new ArrayList<>();
    if (ts.type() == TokenType.LEFT_BRACE) {
      ts.advance();
      parseLabelMatchers(matchers);
    }
    if (!name.isEmpty()) {
      // As Prometheus' assembleVectorSelector: the name outside the braces becomes the last matcher.
      matchers.add(Matcher.equal("__name__", name));
    }
    return new VectorSelector(name, matchers, new PositionRange(start, ts.prevEnd()));
  }

  // After '{': label_match_list [','] '}'
  private void parseLabelMatchers(List<Matcher> out) {
    if (ts.type() == TokenType.RIGHT_BRACE) {
      ts.advance();
      return;
    }
    while (true) {
      out.add(parseLabelMatcher());
      if (ts.type() == TokenType.COMMA) {
        ts.advance();
        if (ts.type() == TokenType.RIGHT_BRACE) {
          ts.advance();
          return;
        }
        continue;
      }
      if (ts.type() == TokenType.RIGHT_BRACE) {
        ts.advance();
        return;
      }
      throw ts.unexpected("label matching", "\",\" or \"}\"");
    }
  }

  private Matcher parseLabelMatcher() {
    Token nameTok = ts.tok();
    String labelName;
    if (ts.type() == TokenType.IDENTIFIER) {
      labelName = ts.tok().text();
      ts.advance();
      if (matchType(ts.type()) == null) {
        throw ts.unexpected("label matching", "label matching operator");
      }
    } else if (ts.type() == TokenType.STRING) {
      labelName = StringLiteralDecoder.decode(ts.tok().text());
      ts.advance();
      if (matchType(ts.type()) == null) {
        // A lone quoted string is the metric name: {"my.metric"}.
        return newMatcher(MatchType.EQUAL, "__name__", labelName, nameTok.positionRange());
      }
    } else {
      throw ts.unexpected("label matching", "identifier or \"}\"");
    }
    MatchType type = matchType(ts.type());
    ts.advance();
    if (ts.type() != TokenType.STRING) {
      throw ts.unexpected("label matching", "string");
    }
    Token valueTok = ts.tok();
    ts.advance();
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
      throw ts.error(pos, String.valueOf(e.getMessage()));
    }
  }

  private Expr parsePostfix(Expr expr) {
    Expr e = expr;
    while (true) {
      switch (ts.type()) {
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
    Token open = ts.tok();
    ts.advance();
    ts.pushContext("subquery or range selector", "number, duration, step(), or range()");
    if (!DurationParser.startsDuration(ts.tok())) {
      throw ts.unexpected(null, null);
    }
    Expr range = durations.parsePositiveDuration();
    ts.popContext();
    if (ts.type() == TokenType.RIGHT_BRACKET) {
      Token close = ts.tok();
      ts.advance();
      String problem = null;
      if (!(e instanceof VectorSelector vs)) {
        problem = "ranges only allowed for vector selectors";
      } else if (vs.hasOffset()) {
        problem = "no offset modifiers allowed before range";
      } else if (vs.hasAt()) {
        problem = "no @ modifiers allowed before range";
      }
      if (problem != null) {
        throw ts.error(new PositionRange(open.start(), close.end()), problem);
      }
      VectorSelector vs = (VectorSelector) e;
      return new MatrixSelector(vs, DurationParser.durationMillis(range), DurationParser.asDurationExpr(range),
          new PositionRange(vs.positionRange().start(), close.end()));
    }
    if (ts.type() != TokenType.COLON) {
      throw ts.unexpected("subquery or range", "\":\" or \"]\"");
    }
    ts.advance();
    Expr step = null;
    if (ts.type() != TokenType.RIGHT_BRACKET) {
      ts.pushContext("subquery selector", "number, duration, step(), range(), or \"]\"");
      if (!DurationParser.startsDuration(ts.tok())) {
        throw ts.unexpected(null, null);
      }
      step = durations.parsePositiveDuration();
      ts.popContext();
      if (ts.type() != TokenType.RIGHT_BRACKET) {
        throw ts.unexpected("subquery selector", "\"]\"");
      }
    }
    ts.advance();
    long stepMillis = step == null ? 0 : DurationParser.durationMillis(step);
    DurationExpr stepExpr = step == null ? null : DurationParser.asDurationExpr(step);
    return new SubqueryExpr(e, DurationParser.durationMillis(range), DurationParser.asDurationExpr(range),
        stepMillis, stepExpr,
        0, null, null, null, new PositionRange(e.positionRange().start(), ts.prevEnd()));
  }

  private Expr parseOffset(Expr e) {
    ts.advance();
    ts.pushContext("offset", "number, duration, step(), or range()");
    Expr d = durations.parseOffsetDuration();
    ts.popContext();
    long millis = DurationParser.durationMillis(d);
    DurationExpr expr = DurationParser.asDurationExpr(d);
    PositionRange end = new PositionRange(e.positionRange().start(), ts.prevEnd());
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
      default -> throw ts.error(e.positionRange(),
          "offset modifier must be preceded by an instant vector selector or range vector selector or a subquery");
    };
  }

  private void checkOffsetUnset(boolean alreadySet, Expr e) {
    if (alreadySet) {
      throw ts.error(e.positionRange(), "offset may not be set multiple times");
    }
  }

  private Expr parseAt(Expr e) {
    ts.advance();
    Long timestamp = null;
    StartOrEnd startOrEnd = null;
    switch (ts.type()) {
      case NUMBER, DURATION, ADD, SUB -> {
        double sign = 1;
        if (ts.type() == TokenType.ADD || ts.type() == TokenType.SUB) {
          sign = ts.type() == TokenType.SUB ? -1 : 1;
          ts.advance();
          if (ts.type() != TokenType.NUMBER && ts.type() != TokenType.DURATION) {
            throw ts.unexpected("@", "timestamp");
          }
        }
        double seconds = sign * ts.numberValue(ts.tok());
        ts.advance();
        if (Double.isNaN(seconds) || Double.isInfinite(seconds) || seconds >= 9.223372036854775807E18
            || seconds <= -9.223372036854775808E18) {
          throw ts.error(e.positionRange(),
              "timestamp out of bounds for @ modifier: " + Literals.formatPercentF(seconds));
        }
        // timestamp.FromFloatSeconds: math.Round(ts * 1000), halves away from zero.
        double ms = seconds * 1000;
        timestamp = ms < 0 ? -Math.round(-ms) : Math.round(ms);
      }
      case START, END -> {
        startOrEnd = ts.type() == TokenType.START ? StartOrEnd.START : StartOrEnd.END;
        ts.advance();
        ts.expect(TokenType.LEFT_PAREN, "@", "timestamp");
        ts.expect(TokenType.RIGHT_PAREN, "@", "timestamp");
      }
      default -> throw ts.unexpected("@", "timestamp");
    }
    PositionRange end = new PositionRange(e.positionRange().start(), ts.prevEnd());
    String notAllowed =
        "@ modifier must be preceded by an instant vector selector or range vector selector or a subquery";
    String twice = "@ <timestamp> may not be set multiple times";
    return switch (e) {
      case VectorSelector vs -> {
        if (vs.hasAt()) {
          throw ts.error(e.positionRange(), twice);
        }
        yield vs.withAt(timestamp, startOrEnd, end);
      }
      case MatrixSelector m -> {
        VectorSelector vs = m.vectorSelector();
        if (vs.hasAt()) {
          throw ts.error(e.positionRange(), twice);
        }
        yield m.withVectorSelector(vs.withAt(timestamp, startOrEnd, vs.positionRange()), end);
      }
      case SubqueryExpr s -> {
        if (s.hasAt()) {
          throw ts.error(e.positionRange(), twice);
        }
        yield s.withAt(timestamp, startOrEnd, end);
      }
      default -> throw ts.error(e.positionRange(), notAllowed);
    };
  }

  private Expr parseAnchoredOrSmoothed(Expr e) {
    Token t = ts.tok();
    ts.advance();
    boolean anchored = t.type() == TokenType.ANCHORED;
    String word = anchored ? "anchored" : "smoothed";
    VectorSelector vs;
    if (e instanceof VectorSelector v) {
      vs = v;
    } else if (e instanceof MatrixSelector m) {
      vs = m.vectorSelector();
    } else {
      throw ts.error(e.positionRange(),
          word + " modifier must be preceded by an instant vector selector or range vector selector");
    }
    if (anchored ? vs.anchored() : vs.smoothed()) {
      throw ts.error(e.positionRange(), word + " modifier may not be set multiple times");
    }
    if (anchored ? vs.smoothed() : vs.anchored()) {
      throw ts.error(e.positionRange(), "anchored and smoothed modifiers cannot be used together");
    }
    PositionRange end = new PositionRange(e.positionRange().start(), ts.prevEnd());
    if (e instanceof MatrixSelector m) {
      return m.withVectorSelector(vs.withAnchoredSmoothed(anchored, !anchored, vs.positionRange()), end);
    }
    return vs.withAnchoredSmoothed(anchored, !anchored, end);
  }

  // ---- aggregations and calls ---------------------------------------------------------------------------------

  private Expr parseAggregation() {
    Token opTok = ts.tok();
    AggregateOp op = AggregateOp.fromName(opTok.text());
    ts.advance();
    List<String> grouping = List.of();
    boolean without = false;
    boolean modifierFirst = false;
    if (ts.type() == TokenType.BY || ts.type() == TokenType.WITHOUT) {
      without = ts.type() == TokenType.WITHOUT;
      ts.advance();
      grouping = parseGroupingLabels();
      modifierFirst = true;
    }
    if (ts.type() != TokenType.LEFT_PAREN) {
      throw ts.unexpected("aggregation", null);
    }
    ts.pushContext("aggregation", null);
    List<Expr> args = parseCallBody();
    ts.popContext();
    if (!modifierFirst && (ts.type() == TokenType.BY || ts.type() == TokenType.WITHOUT)) {
      without = ts.type() == TokenType.WITHOUT;
      ts.advance();
      grouping = parseGroupingLabels();
    }
    PositionRange pos = new PositionRange(opTok.start(), ts.prevEnd());
    if (args.isEmpty()) {
      throw ts.error(pos, "no arguments for aggregate expression provided");
    }
    int desired = op.hasParam() ? 2 : 1;
    if (args.size() != desired) {
      throw ts.error(pos, "wrong number of arguments for aggregate expression provided, expected " + desired + ", got "
          + args.size());
    }
    Expr param = op.hasParam() ? args.get(0) : null;
    Expr body = args.get(args.size() - 1);
    return new AggregateExpr(op, body, param, grouping, without, pos);
  }

  // '(' [label {',' label} [',']] ')', where a label may be a keyword or a quoted UTF-8 name.
  private List<String> parseGroupingLabels() {
    if (ts.type() != TokenType.LEFT_PAREN) {
      throw ts.unexpected("grouping opts", "\"(\"");
    }
    ts.advance();
    List<String> labels = new ArrayList<>();
    if (ts.type() == TokenType.RIGHT_PAREN) {
      ts.advance();
      return labels;
    }
    while (true) {
      if (ts.type() == TokenType.STRING) {
        String name = StringLiteralDecoder.decode(ts.tok().text());
        if (name.isEmpty() || !isValidUtf8(name)) {
          throw ts.error(ts.tok().positionRange(), "invalid label name for grouping: " + Token.goQuote(name));
        }
        labels.add(name);
      } else if (isMaybeLabel(ts.type())) {
        labels.add(ts.tok().text());
      } else {
        throw ts.unexpected("grouping opts", "label");
      }
      ts.advance();
      if (ts.type() == TokenType.COMMA) {
        ts.advance();
        if (ts.type() == TokenType.RIGHT_PAREN) {
          ts.advance();
          return labels;
        }
        continue;
      }
      if (ts.type() == TokenType.RIGHT_PAREN) {
        ts.advance();
        return labels;
      }
      throw ts.unexpected("grouping opts", "\",\" or \")\"");
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
    Token nameTok = ts.tok();
    ts.advance();
    List<Expr> args = parseCallBody();
    PositionRange pos = new PositionRange(nameTok.start(), ts.prevEnd());
    // Keyword-spelled functions (start, end, step, range) are case-insensitive like all keywords.
    String name = nameTok.type() == TokenType.IDENTIFIER ? nameTok.text() : nameTok.text().toLowerCase(Locale.ROOT);
    Function fn = Function.fromName(name);
    if (fn == null) {
      throw ts.error(nameTok.positionRange(), "unknown function with name " + Token.goQuote(nameTok.text()));
    }
    if (fn == Function.INFO && args.size() > 1) {
      // The second argument of info() is a bare label selector, whose matchers may all match the empty string.
      Expr selector = args.get(1);
      if (!(selector instanceof VectorSelector vs)) {
        throw ts.error(selector.positionRange(), "expected label selectors only");
      }
      if (!vs.name().isEmpty()) {
        throw ts.error(selector.positionRange(), "expected label selectors only, got vector selector instead");
      }
      List<Expr> patched = new ArrayList<>(args);
      patched.set(1, vs.withBypassEmptyMatcherCheck(true));
      args = patched;
    }
    return new Call(fn, args, pos);
  }

  // '(' [expr {',' expr}] ')'
  private List<Expr> parseCallBody() {
    ts.advance();
    List<Expr> args = new ArrayList<>();
    if (ts.type() == TokenType.RIGHT_PAREN) {
      ts.advance();
      return args;
    }
    while (true) {
      args.add(parseExpr(BinaryOp.LOWEST_PRECEDENCE));
      if (ts.type() == TokenType.COMMA) {
        Token comma = ts.tok();
        ts.advance();
        if (ts.type() == TokenType.RIGHT_PAREN) {
          throw ts.error(comma.positionRange(), "trailing commas not allowed in function call args");
        }
        continue;
      }
      if (ts.type() == TokenType.RIGHT_PAREN) {
        ts.advance();
        return args;
      }
      throw ts.unexpected(null, null);
    }
  }
}
