package dev.orrery.promql.parser;

import dev.orrery.promql.ast.AggregateOp;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Turns UTF-8 query bytes into {@link Token}s on demand, following Prometheus' {@code promql/parser/lex.go}: keywords
 * are case-insensitive, label names inside braces are never keywords, {@code fill}/{@code fill_left}/{@code
 * fill_right} are keywords only before {@code (}, {@code Inf}/{@code NaN} are numbers, comments run from {@code #}
 * to the end of the line. Inside {@code [...]} only duration expressions are lexed. A lexical error becomes an
 * {@link TokenType#ERROR} token whose text is the message; after it the lexer only returns that error again.
 *
 * <p>Positions are byte offsets. Single-threaded; one instance per query.
 */
final class Lexer {
  private static final int EOF_RUNE = -1;
  /** Go's utf8.RuneError, returned for an invalid byte (width 1). */
  private static final int RUNE_ERROR = 0xFFFD;

  private static final Map<String, TokenType> KEYWORDS = new HashMap<>();

  static {
    KEYWORDS.put("and", TokenType.LAND);
    KEYWORDS.put("or", TokenType.LOR);
    KEYWORDS.put("unless", TokenType.LUNLESS);
    KEYWORDS.put("atan2", TokenType.ATAN2);
    for (AggregateOp op : AggregateOp.values()) {
      KEYWORDS.put(op.symbol(), TokenType.AGGREGATOR);
    }
    KEYWORDS.put("offset", TokenType.OFFSET);
    KEYWORDS.put("smoothed", TokenType.SMOOTHED);
    KEYWORDS.put("anchored", TokenType.ANCHORED);
    KEYWORDS.put("by", TokenType.BY);
    KEYWORDS.put("without", TokenType.WITHOUT);
    KEYWORDS.put("on", TokenType.ON);
    KEYWORDS.put("ignoring", TokenType.IGNORING);
    KEYWORDS.put("group_left", TokenType.GROUP_LEFT);
    KEYWORDS.put("group_right", TokenType.GROUP_RIGHT);
    KEYWORDS.put("fill", TokenType.FILL);
    KEYWORDS.put("fill_left", TokenType.FILL_LEFT);
    KEYWORDS.put("fill_right", TokenType.FILL_RIGHT);
    KEYWORDS.put("bool", TokenType.BOOL);
    KEYWORDS.put("start", TokenType.START);
    KEYWORDS.put("end", TokenType.END);
    KEYWORDS.put("step", TokenType.STEP);
    KEYWORDS.put("range", TokenType.RANGE);
    KEYWORDS.put("inf", TokenType.NUMBER);
    KEYWORDS.put("nan", TokenType.NUMBER);
  }

  private final byte[] input;
  private int pos;
  private int start;
  private int width;

  private int parenDepth;
  private boolean braceOpen;
  private boolean bracketOpen;
  private boolean gotColon;
  private boolean gotDuration;
  private Token error;

  Lexer(byte[] input) {
    this.input = input;
  }

  byte[] input() {
    return input;
  }

  /** The next token, skipping spaces and comments. */
  Token next() {
    if (error != null) {
      return error;
    }
    while (true) {
      Token t = braceOpen ? lexInsideBraces() : bracketOpen ? lexDurationExpr() : lexStatements();
      if (t == null) {
        continue; // skipped spaces or a comment
      }
      if (t.type() == TokenType.ERROR) {
        error = t;
      }
      return t;
    }
  }

  // ---- character access ----------------------------------------------------------------------------------------

  private int nextRune() {
    if (pos >= input.length) {
      width = 0;
      return EOF_RUNE;
    }
    int b0 = input[pos] & 0xFF;
    if (b0 < 0x80) {
      width = 1;
      pos++;
      return b0;
    }
    int r = decodeMultiByte();
    pos += width;
    return r;
  }

  // Decodes a multi-byte UTF-8 sequence at pos as Go's utf8.DecodeRune does: RuneError with width 1 when invalid.
  private int decodeMultiByte() {
    int cp = Utf8Runes.decode(input, pos);
    if (cp < 0) {
      width = 1;
      return RUNE_ERROR;
    }
    width = Utf8Runes.width(cp);
    return cp;
  }

  private void backup() {
    pos -= width;
  }

  private int peek() {
    int r = nextRune();
    backup();
    return r;
  }

  private boolean accept(String valid) {
    int r = nextRune();
    if (r != EOF_RUNE && valid.indexOf(r) >= 0) {
      return true;
    }
    backup();
    return false;
  }

  private boolean is(String valid) {
    int r = peek();
    return r != EOF_RUNE && valid.indexOf(r) >= 0;
  }

  private void acceptRun(String valid) {
    while (true) {
      int r = nextRune();
      if (r == EOF_RUNE || valid.indexOf(r) < 0) {
        backup();
        return;
      }
    }
  }

  private Token emit(TokenType type) {
    Token t = new Token(type, start, pos, new String(input, start, pos - start, StandardCharsets.UTF_8));
    start = pos;
    return t;
  }

  private Token errorf(String message) {
    return new Token(TokenType.ERROR, start, Math.max(start, pos), message);
  }

  private void ignore() {
    start = pos;
  }

  // ---- states ------------------------------------------------------------------------------------------------

  private static boolean isSpace(int r) {
    return r == ' ' || r == '\t' || r == '\n' || r == '\r';
  }

  // Emits operator op when r is one, else skips the spaces at r (no token yet).
  private Token operatorOrSpace(TokenType op) {
    if (op != null) {
      return emit(op);
    }
    skipSpaces();
    return null;
  }

  /** The token of a one-rune arithmetic operator or comma, else null. */
  private static TokenType operator(int r) {
    return switch (r) {
      case '*' -> TokenType.MUL;
      case '/' -> TokenType.DIV;
      case '%' -> TokenType.MOD;
      case '+' -> TokenType.ADD;
      case '-' -> TokenType.SUB;
      case '^' -> TokenType.POW;
      case ',' -> TokenType.COMMA;
      default -> null;
    };
  }

  private Token lexStatements() {
    if (pos < input.length && input[pos] == '#') {
      skipComment();
      return null;
    }
    int r = nextRune();
    TokenType op = operator(r);
    if (op != null || isSpace(r)) {
      return operatorOrSpace(op);
    }
    switch (r) {
      case EOF_RUNE -> {
        if (parenDepth != 0) {
          return errorf("unclosed left parenthesis");
        }
        if (bracketOpen) {
          return errorf("unclosed left bracket");
        }
        return emit(TokenType.EOF);
      }
      case '=' -> {
        int t = peek();
        if (t == '=') {
          nextRune();
          return emit(TokenType.EQLC);
        }
        if (t == '~') {
          return errorf("unexpected character after '=': " + quoteRune(t));
        }
        return emit(TokenType.EQL);
      }
      case '!' -> {
        int t = nextRune();
        if (t != '=') {
          return errorf("unexpected character after '!': " + quoteRune(t));
        }
        return emit(TokenType.NEQ);
      }
      case '<' -> {
        if (peek() == '=') {
          nextRune();
          return emit(TokenType.LTE);
        }
        if (peek() == '/') {
          nextRune();
          return emit(TokenType.TRIM_UPPER);
        }
        return emit(TokenType.LSS);
      }
      case '>' -> {
        if (peek() == '=') {
          nextRune();
          return emit(TokenType.GTE);
        }
        if (peek() == '/') {
          nextRune();
          return emit(TokenType.TRIM_LOWER);
        }
        return emit(TokenType.GTR);
      }
      case '"', '\'' -> {
        return lexString(r);
      }
      case '`' -> {
        return lexRawString();
      }
      case '(' -> {
        parenDepth++;
        return emit(TokenType.LEFT_PAREN);
      }
      case ')' -> {
        parenDepth--;
        if (parenDepth < 0) {
          start = pos; // Prometheus reports this after the parenthesis
          return errorf("unexpected right parenthesis " + quoteRune(r));
        }
        return emit(TokenType.RIGHT_PAREN);
      }
      case '{' -> {
        braceOpen = true;
        return emit(TokenType.LEFT_BRACE);
      }
      case '[' -> {
        gotColon = false;
        gotDuration = false;
        bracketOpen = true;
        Token t = emit(TokenType.LEFT_BRACKET);
        return t;
      }
      case ']' -> {
        return errorf("unexpected right bracket " + quoteRune(r));
      }
      case '@' -> {
        return emit(TokenType.AT);
      }
      default -> {
        if (isDigit(r) || (r == '.' && isDigit(peek()))) {
          backup();
          return lexNumberOrDuration();
        }
        if (isAlpha(r) || r == ':') {
          backup();
          return lexKeywordOrIdentifier();
        }
        if (r == RUNE_ERROR && width == 1) {
          return errorf("invalid UTF-8 rune");
        }
        return errorf("unexpected character: " + quoteRune(r));
      }
    }
  }

  private Token lexInsideBraces() {
    if (pos < input.length && input[pos] == '#') {
      skipComment();
      return null;
    }
    int r = nextRune();
    if (isSpace(r) || r == ',') {
      return operatorOrSpace(r == ',' ? TokenType.COMMA : null);
    }
    switch (r) {
      case EOF_RUNE -> {
        return errorf("unexpected end of input inside braces");
      }
      case '"', '\'' -> {
        return lexString(r);
      }
      case '`' -> {
        return lexRawString();
      }
      case '=' -> {
        if (nextRune() == '~') {
          return emit(TokenType.EQL_REGEX);
        }
        backup();
        return emit(TokenType.EQL);
      }
      case '!' -> {
        int nr = nextRune();
        if (nr == '~') {
          return emit(TokenType.NEQ_REGEX);
        }
        if (nr == '=') {
          return emit(TokenType.NEQ);
        }
        return errorf("unexpected character after '!' inside braces: " + quoteRune(nr));
      }
      case '{' -> {
        return errorf("unexpected left brace " + quoteRune(r));
      }
      case '}' -> {
        braceOpen = false;
        return emit(TokenType.RIGHT_BRACE);
      }
      default -> {
        if (isAlpha(r)) {
          while (isAlphaNumeric(nextRune())) {
            // absorb
          }
          backup();
          return emit(TokenType.IDENTIFIER);
        }
        if (r == RUNE_ERROR && width == 1) {
          return errorf("invalid UTF-8 rune");
        }
        return errorf("unexpected character inside braces: " + quoteRune(r));
      }
    }
  }

  // Inside [...]: numbers, durations, + - * / % ^, parentheses, commas, ':', step(), range(), min_of(), max_of().
  private Token lexDurationExpr() {
    int r = nextRune();
    TokenType op = operator(r);
    if (op != null || isSpace(r)) {
      return operatorOrSpace(op);
    }
    switch (r) {
      case EOF_RUNE -> {
        // Prometheus lexes the rest of a bracket as statements once a duration was seen.
        if (!gotDuration) {
          return errorf("unexpected end of input in duration expression");
        }
        return errorf(parenDepth != 0 ? "unclosed left parenthesis" : "unclosed left bracket");
      }
      case ']' -> {
        bracketOpen = false;
        gotColon = false;
        return emit(TokenType.RIGHT_BRACKET);
      }
      case ':' -> {
        if (!gotDuration) {
          return errorf("unexpected colon before duration in duration expression");
        }
        if (gotColon) {
          return errorf("unexpected repeated colon in duration expression");
        }
        gotColon = true;
        return emit(TokenType.COLON);
      }
      case '(' -> {
        parenDepth++;
        return emit(TokenType.LEFT_PAREN);
      }
      case ')' -> {
        parenDepth--;
        if (parenDepth < 0) {
          start = pos; // Prometheus reports this after the parenthesis
          return errorf("unexpected right parenthesis " + quoteRune(r));
        }
        return emit(TokenType.RIGHT_PAREN);
      }
      default -> {
        if (isDigit(r) || (r == '.' && isDigit(peek()))) {
          backup();
          gotDuration = true;
          return lexNumberOrDuration();
        }
        if (isAlpha(r)) {
          while (isAlphaNumeric(nextRune())) {
            // absorb
          }
          backup();
          String word = new String(input, start, pos - start, StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT);
          TokenType type = switch (word) {
            case "step" -> TokenType.STEP;
            case "range" -> TokenType.RANGE;
            case "min_of", "min" -> TokenType.MIN_OF;
            case "max_of", "max" -> TokenType.MAX_OF;
            default -> null;
          };
          if (type != null) {
            gotDuration = true;
            return emit(type);
          }
          pos = start;
          nextRune();
        }
        if (r == RUNE_ERROR && width == 1) {
          return errorf("invalid UTF-8 rune");
        }
        return errorf("unexpected character in duration expression: " + quoteRune(r));
      }
    }
  }

  private Token lexKeywordOrIdentifier() {
    while (true) {
      int r = nextRune();
      if (!(isAlphaNumeric(r) || r == ':')) {
        backup();
        break;
      }
    }
    String word = new String(input, start, pos - start, StandardCharsets.US_ASCII);
    TokenType kw = KEYWORDS.get(word.toLowerCase(Locale.ROOT));
    if (kw != null) {
      // fill/fill_left/fill_right are keywords only when a '(' follows, so they stay usable as metric names.
      if ((kw == TokenType.FILL || kw == TokenType.FILL_LEFT || kw == TokenType.FILL_RIGHT)
          && !followedByLeftParen()) {
        return emit(TokenType.IDENTIFIER);
      }
      return emit(kw);
    }
    return emit(word.indexOf(':') >= 0 ? TokenType.METRIC_IDENTIFIER : TokenType.IDENTIFIER);
  }

  private boolean followedByLeftParen() {
    for (int i = pos; i < input.length; i++) {
      byte b = input[i];
      if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
        return b == '(';
      }
    }
    return false;
  }

  private Token lexNumberOrDuration() {
    if (scanNumber()) {
      return emit(TokenType.NUMBER);
    }
    // The next two characters must be a valid unit and a non-alphanumeric.
    if (acceptRemainingDuration()) {
      backup();
      return emit(TokenType.DURATION);
    }
    return errorf("bad number or duration syntax: " + Token.goQuote(text(start, pos)));
  }

  private boolean acceptRemainingDuration() {
    if (!accept("smhdwy")) {
      return false;
    }
    accept("s"); // ms; bad units such as "hs" are caught when the duration is parsed
    while (accept("0123456789")) {
      while (accept("0123456789")) {
        // absorb
      }
      if (!accept("smhdw")) {
        return false;
      }
      accept("s");
    }
    return !isAlphaNumeric(nextRune());
  }

  // Prometheus' Lexer.scanNumber: decimal, hex (0x), fractions, exponents, '_' between digits.
  private boolean scanNumber() {
    int initialPos = pos;
    String digitPattern = "0123456789";
    if (accept("0")) {
      if (accept("xX")) {
        accept("_");
        digitPattern = "0123456789abcdefABCDEF";
      }
    }
    accept(".");
    accept(digitPattern);
    boolean dotConsumed = false;
    boolean exponentConsumed = false;
    while (is(digitPattern + "._eE")) {
      if (is(".") && dotConsumed) {
        accept(".");
        return false;
      }
      if (is("eE") && exponentConsumed) {
        accept("eE");
        return false;
      }
      if (accept(".")) {
        dotConsumed = true;
        if (accept("_.")) {
          return false;
        }
        if (digitPattern.length() > 10) {
          return false; // no fractional hexadecimal literals
        }
        continue;
      }
      if (accept("eE")) {
        exponentConsumed = true;
        accept("+-");
        if (accept("._eE") || peek() == EOF_RUNE) {
          return false;
        }
        continue;
      }
      if (accept("_")) {
        if (accept("._eE") || peek() == EOF_RUNE) {
          return false;
        }
        continue;
      }
      acceptRun(digitPattern);
    }
    if (pos == initialPos) {
      return false;
    }
    return !isAlphaNumeric(peek());
  }

  private Token lexString(int quote) {
    while (true) {
      int r = nextRune();
      if (r == '\\') {
        Token err = lexEscape(quote);
        if (err != null) {
          return err;
        }
        continue;
      }
      if (r == RUNE_ERROR) {
        return errorf("invalid UTF-8 rune");
      }
      if (r == EOF_RUNE || r == '\n') {
        return errorf("unterminated quoted string");
      }
      if (r == quote) {
        return emit(TokenType.STRING);
      }
    }
  }

  private Token lexRawString() {
    while (true) {
      int r = nextRune();
      if (r == RUNE_ERROR) {
        return errorf("invalid UTF-8 rune");
      }
      if (r == EOF_RUNE) {
        return errorf("unterminated raw string");
      }
      if (r == '`') {
        return emit(TokenType.STRING);
      }
    }
  }

  // Validates one escape sequence as Go's scanner does; returns an error token or null.
  private Token lexEscape(int quote) {
    int ch = nextRune();
    int n;
    int base;
    int max;
    switch (ch) {
      case 'a', 'b', 'f', 'n', 'r', 't', 'v', '\\' -> {
        return null;
      }
      case '0', '1', '2', '3', '4', '5', '6', '7' -> {
        n = 3;
        base = 8;
        max = 255;
      }
      case 'x' -> {
        ch = nextRune();
        n = 2;
        base = 16;
        max = 255;
      }
      case 'u' -> {
        ch = nextRune();
        n = 4;
        base = 16;
        max = Character.MAX_CODE_POINT;
      }
      case 'U' -> {
        ch = nextRune();
        n = 8;
        base = 16;
        max = Character.MAX_CODE_POINT;
      }
      case EOF_RUNE -> {
        return errorf("escape sequence not terminated");
      }
      default -> {
        if (ch == quote) {
          return null;
        }
        return errorf("unknown escape sequence " + formatUnicode(ch));
      }
    }
    long x = 0;
    while (n > 0) {
      int d = digitVal(ch);
      if (d >= base) {
        if (ch == EOF_RUNE) {
          return errorf("escape sequence not terminated");
        }
        return errorf("illegal character " + formatUnicode(ch) + " in escape sequence");
      }
      x = x * base + d;
      n--;
      if (n > 0) {
        ch = nextRune();
      }
    }
    if (x > max || (x >= 0xD800 && x < 0xE000)) {
      return errorf("escape sequence is an invalid Unicode code point");
    }
    return null;
  }

  private void skipSpaces() {
    while (pos < input.length) {
      byte b = input[pos];
      if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
        break;
      }
      pos++;
    }
    ignore();
  }

  private void skipComment() {
    while (pos < input.length && input[pos] != '\n' && input[pos] != '\r') {
      pos++;
    }
    ignore();
  }

  private String text(int from, int to) {
    return new String(input, from, to - from, StandardCharsets.UTF_8);
  }

  // ---- character classes and Go formatting ------------------------------------------------------------------

  static boolean isAlpha(int r) {
    return r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z');
  }

  static boolean isDigit(int r) {
    return r >= '0' && r <= '9';
  }

  static boolean isAlphaNumeric(int r) {
    return isAlpha(r) || isDigit(r);
  }

  private static int digitVal(int ch) {
    if (ch >= '0' && ch <= '9') {
      return ch - '0';
    }
    if (ch >= 'a' && ch <= 'f') {
      return ch - 'a' + 10;
    }
    if (ch >= 'A' && ch <= 'F') {
      return ch - 'A' + 10;
    }
    return 16;
  }

  /** Go's {@code %q} of a rune: {@code 'x'}, {@code '\''}, {@code '\n'}, {@code '\x00'}. */
  static String quoteRune(int r) {
    if (r == EOF_RUNE) {
      return "'\uFFFD'"; // Go quotes an invalid rune (eof is -1) as U+FFFD
    }
    if (r == '\'') {
      return "'\\''";
    }
    if (r == '"') {
      return "'\"'";
    }
    String q = Token.goQuote(new String(Character.toChars(r)));
    return "'" + q.substring(1, q.length() - 1) + "'";
  }

  // Go's %#U: U+0071 'q'.
  private static String formatUnicode(int r) {
    if (r < 0) {
      return "U+FFFD '\uFFFD'";
    }
    String hex = String.format("U+%04X", r);
    String quoted = Token.goQuote(new String(Character.toChars(r)));
    if (quoted.length() == 3 || !quoted.contains("\\")) {
      return hex + " '" + new String(Character.toChars(r)) + "'";
    }
    return hex;
  }
}
