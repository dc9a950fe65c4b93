package dev.orrery.promql.parser;

import dev.orrery.promql.ast.PositionRange;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The parser's view of the token sequence: the current token, one token of lookahead, the end of the last consumed
 * token, the nesting depth, and the stack of grammar contexts that decides how an "unexpected ..." error is worded.
 * A lexical error is thrown as soon as its token becomes current. Single-threaded; one instance per query.
 */
final class TokenStream {
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

  TokenStream(byte[] input, int maxDepth) {
    this.input = input;
    this.lexer = new Lexer(input);
    this.maxDepth = maxDepth;
  }

  /** The current token. */
  Token tok() {
    return tok;
  }

  /** The type of the current token. */
  TokenType type() {
    return tok.type();
  }

  /** The end offset of the token consumed last. */
  int prevEnd() {
    return prevEnd;
  }

  /** Moves to the next token; throws the lexer's error when that token is one. */
  void advance() {
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

  /** The token after the current one, without consuming anything. */
  Token peek() {
    if (lookahead == null) {
      lookahead = lexer.next();
    }
    return lookahead;
  }

  /** Consumes a token of the given type or fails with {@link #unexpected}. */
  void expect(TokenType type, String context, String expected) {
    if (tok.type() != type) {
      throw unexpected(context, expected);
    }
    advance();
  }

  PromqlParseException error(PositionRange pos, String message) {
    return new PromqlParseException(pos, message, input);
  }

  /** Prometheus' {@code unexpected(context, expected)}; without a context the innermost enclosing one is used. */
  PromqlParseException unexpected(String context, String expected) {
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

  /** Enters a grammar context that has its own error wording, e.g. {@code ("offset", "number, duration, ...")}. */
  void pushContext(String name, String expected) {
    errorContexts.push(new ErrorContext(name, expected));
  }

  void popContext() {
    errorContexts.pop();
  }

  /** One level deeper; fails once the nesting cap is exceeded. */
  void enterNesting() {
    if (++depth > maxDepth) {
      throw error(tok.positionRange(), "expression nesting is too deep (more than " + maxDepth + " levels)");
    }
  }

  void leaveNesting(int levels) {
    depth -= levels;
  }

  /** The value of a number or duration token (durations in seconds). */
  double numberValue(Token t) {
    try {
      return t.type() == TokenType.DURATION ? Literals.parseDurationSeconds(t.text()) : Literals.parseNumber(t.text());
    } catch (Literals.InvalidLiteralException e) {
      throw error(t.positionRange(), e.getMessage());
    }
  }
}
