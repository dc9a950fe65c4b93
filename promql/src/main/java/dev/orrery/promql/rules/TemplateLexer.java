package dev.orrery.promql.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Splits template text into items as Go's {@code text/template/parse/lex.go} does, so that the parser reports the
 * same errors at the same lines: text, {@code {{ }}} delimiters with their {@code -} trim markers, comments (dropped),
 * and inside actions spaces, identifiers, keywords, fields, variables, strings, numbers and punctuation. A lexical
 * error ends the item list with an {@link Type#ERROR} item; otherwise it ends with {@link Type#EOF}.
 */
final class TemplateLexer {
  /** Item types; those from {@link #BLOCK} on are keywords, which Go prints as {@code <name>}. */
  enum Type {
    ERROR, BOOL, CHAR, CHAR_CONSTANT, COMPLEX, ASSIGN, DECLARE, EOF, FIELD, IDENTIFIER, LEFT_DELIM, LEFT_PAREN,
    NUMBER, PIPE, RAW_STRING, RIGHT_DELIM, RIGHT_PAREN, SPACE, STRING, TEXT, VARIABLE,
    BLOCK, BREAK, CONTINUE, DOT, DEFINE, ELSE, END, IF, NIL, RANGE, TEMPLATE, WITH;

    boolean keyword() {
      return ordinal() >= BLOCK.ordinal();
    }
  }

  /** One item: its type, its offset in the text, its text (or error message) and the line it starts on. */
  record Item(Type type, int pos, String val, int line) {
    /** The item as Go's {@code item.String()} prints it in error messages. */
    @Override
    public String toString() {
      if (type == Type.EOF) {
        return "EOF";
      }
      if (type == Type.ERROR) {
        return val;
      }
      if (type.keyword()) {
        return "<" + val + ">";
      }
      if (val.codePointCount(0, val.length()) > 10) {
        return GoFormat.quote(val.substring(0, val.offsetByCodePoints(0, 10))) + "...";
      }
      return GoFormat.quote(val);
    }
  }

  private static final String LEFT_DELIM = "{{";
  private static final String RIGHT_DELIM = "}}";
  private static final String LEFT_COMMENT = "/*";
  private static final String RIGHT_COMMENT = "*/";
  /** A trim marker is a '-' with a space on its inner side: "{{- " and " -}}". */
  private static final int TRIM_MARKER_LENGTH = 2;
  private static final Map<String, Type> KEYWORDS = Map.ofEntries(
      Map.entry("block", Type.BLOCK), Map.entry("define", Type.DEFINE),
      Map.entry("else", Type.ELSE), Map.entry("end", Type.END), Map.entry("if", Type.IF),
      Map.entry("range", Type.RANGE), Map.entry("nil", Type.NIL), Map.entry("template", Type.TEMPLATE),
      Map.entry("with", Type.WITH));
  private static final int EOF = -1;

  private final String input;
  private final List<Item> items = new ArrayList<>();
  private int start;
  private int pos;
  private int line = 1;
  private int startLine = 1;
  private int parenDepth;
  /** Width in chars of the last code point read, for backup(). */
  private int width;
  private boolean done;

  private TemplateLexer(String input) {
    this.input = input;
  }

  /** The items of {@code text}, ending with EOF or an error. */
  static List<Item> lex(String text) {
    TemplateLexer lexer = new TemplateLexer(text);
    lexer.run();
    return lexer.items;
  }

  private void run() {
    // Each step lexes one state's worth; the action states loop until they hand back to text.
    while (!done) {
      lexText();
    }
  }

  // --- reading ---

  private int next() {
    if (pos >= input.length()) {
      width = 0;
      return EOF;
    }
    int cp = input.codePointAt(pos);
    width = Character.charCount(cp);
    pos += width;
    if (cp == '\n') {
      line++;
    }
    return cp;
  }

  private int peek() {
    int cp = next();
    backup();
    return cp;
  }

  private void backup() {
    if (width > 0) {
      pos -= width;
      if (input.charAt(pos) == '\n') {
        line--;
      }
    }
  }

  private Item thisItem(Type type) {
    Item item = new Item(type, start, input.substring(start, pos), startLine);
    start = pos;
    startLine = line;
    return item;
  }

  private void emit(Type type) {
    items.add(thisItem(type));
  }

  private void ignore() {
    line += countNewlines(start, pos);
    start = pos;
    startLine = line;
  }

  private void error(String message) {
    items.add(new Item(Type.ERROR, start, message, startLine));
    done = true;
  }

  private boolean accept(String valid) {
    if (valid.indexOf(next()) >= 0) {
      return true;
    }
    backup();
    return false;
  }

  private void acceptRun(String valid) {
    while (valid.indexOf(next()) >= 0) {
      // Consumed.
    }
    backup();
  }

  private int countNewlines(int from, int to) {
    int n = 0;
    for (int i = from; i < to; i++) {
      if (input.charAt(i) == '\n') {
        n++;
      }
    }
    return n;
  }

  // --- states ---

  private void lexText() {
    int x = input.indexOf(LEFT_DELIM, pos);
    if (x < 0) {
      pos = input.length();
      if (pos > start) {
        line += countNewlines(start, pos);
        emit(Type.TEXT);
      }
      emit(Type.EOF);
      done = true;
      return;
    }
    if (x > pos) {
      pos = x;
      int trimLength = 0;
      if (hasLeftTrimMarker(pos + LEFT_DELIM.length())) {
        trimLength = rightTrimLength(start, pos);
      }
      pos -= trimLength;
      line += countNewlines(start, pos);
      Item item = thisItem(Type.TEXT);
      pos += trimLength;
      ignore();
      if (!item.val().isEmpty()) {
        items.add(item);
      }
    }
    lexLeftDelim();
  }

  private void lexLeftDelim() {
    pos += LEFT_DELIM.length();
    boolean trimSpace = hasLeftTrimMarker(pos);
    int afterMarker = trimSpace ? TRIM_MARKER_LENGTH : 0;
    if (input.startsWith(LEFT_COMMENT, pos + afterMarker)) {
      pos += afterMarker;
      ignore();
      lexComment();
      return;
    }
    Item item = thisItem(Type.LEFT_DELIM);
    pos += afterMarker;
    ignore();
    parenDepth = 0;
    items.add(item);
    lexInsideAction();
  }

  private void lexComment() {
    pos += LEFT_COMMENT.length();
    int x = input.indexOf(RIGHT_COMMENT, pos);
    if (x < 0) {
      error("unclosed comment");
      return;
    }
    pos = x + RIGHT_COMMENT.length();
    int delim = atRightDelim();
    if (delim == 0) {
      error("comment ends before closing delimiter");
      return;
    }
    // Comments are dropped, as text/template does unless asked to keep them.
    if (delim == 2) {
      pos += TRIM_MARKER_LENGTH;
    }
    pos += RIGHT_DELIM.length();
    if (delim == 2) {
      pos += leftTrimLength(pos);
    }
    ignore();
  }

  /** 0 if not at a right delimiter, 1 at "}}", 2 at " -}}". */
  private int atRightDelim() {
    if (hasRightTrimMarker(pos) && input.startsWith(RIGHT_DELIM, pos + TRIM_MARKER_LENGTH)) {
      return 2;
    }
    return input.startsWith(RIGHT_DELIM, pos) ? 1 : 0;
  }

  private void lexRightDelim() {
    boolean trimSpace = atRightDelim() == 2;
    if (trimSpace) {
      pos += TRIM_MARKER_LENGTH;
      ignore();
    }
    pos += RIGHT_DELIM.length();
    emit(Type.RIGHT_DELIM);
    if (trimSpace) {
      pos += leftTrimLength(pos);
      ignore();
    }
  }

  /** Lexes the inside of an action up to and including its right delimiter, or to an error. */
  private void lexInsideAction() {
    while (!done) {
      if (atRightDelim() != 0) {
        if (parenDepth == 0) {
          lexRightDelim();
          return;
        }
        error("unclosed left paren");
        return;
      }
      int r = next();
      if (r == EOF) {
        error("unclosed action");
      } else if (isSpace(r)) {
        backup();
        lexSpace();
      } else if (r == '=') {
        emit(Type.ASSIGN);
      } else if (r == ':') {
        if (next() != '=') {
          error("expected :=");
        } else {
          emit(Type.DECLARE);
        }
      } else if (r == '|') {
        emit(Type.PIPE);
      } else if (r == '"') {
        lexQuote();
      } else if (r == '`') {
        lexRawQuote();
      } else if (r == '$') {
        lexFieldOrVariable(Type.VARIABLE);
      } else if (r == '\'') {
        lexChar();
      } else if (r == '.' && pos < input.length() && (input.charAt(pos) < '0' || input.charAt(pos) > '9')) {
        lexFieldOrVariable(Type.FIELD);
      } else if (r == '.' || r == '+' || r == '-' || (r >= '0' && r <= '9')) {
        backup();
        lexNumber();
      } else if (isAlphaNumeric(r)) {
        backup();
        lexIdentifier();
      } else if (r == '(') {
        emit(Type.LEFT_PAREN);
        parenDepth++;
      } else if (r == ')') {
        parenDepth--;
        if (parenDepth < 0) {
          error("unexpected right paren");
        } else {
          emit(Type.RIGHT_PAREN);
        }
      } else if (r <= 0x7F && GoFormat.isGoPrint(r)) {
        emit(Type.CHAR);
      } else {
        error("unrecognized character in action: " + goUnicode(r));
      }
    }
  }

  private void lexSpace() {
    int spaces = 0;
    while (isSpace(peek())) {
      next();
      spaces++;
    }
    // A space may begin a trim-marked right delimiter " -}}": leave that space to it.
    if (hasRightTrimMarker(pos - 1) && input.startsWith(RIGHT_DELIM, pos - 1 + TRIM_MARKER_LENGTH)) {
      backup();
      if (spaces == 1) {
        return;
      }
    }
    emit(Type.SPACE);
  }

  private void lexIdentifier() {
    if (!scanWord()) {
      return;
    }
    String word = input.substring(start, pos);
    Type keyword = KEYWORDS.get(word);
    if (keyword != null) {
      emit(keyword);
    } else if (word.equals("true") || word.equals("false")) {
      emit(Type.BOOL);
    } else {
      emit(Type.IDENTIFIER);
    }
  }

  // After '.' or '$': a lone "." is the dot and a lone "$" the root variable.
  private void lexFieldOrVariable(Type type) {
    if (atTerminator()) {
      emit(type == Type.VARIABLE ? Type.VARIABLE : Type.DOT);
      return;
    }
    if (scanWord()) {
      emit(type);
    }
  }

  /** Scans alphanumerics up to a terminator; false (with the error emitted) when a bad character ends them. */
  private boolean scanWord() {
    int r;
    do {
      r = next();
    } while (isAlphaNumeric(r));
    backup();
    if (!atTerminator()) {
      error("bad character " + goUnicode(r));
      return false;
    }
    return true;
  }

  private boolean atTerminator() {
    int r = peek();
    if (isSpace(r)) {
      return true;
    }
    return switch (r) {
      case EOF, '.', ',', '|', ':', ')', '(' -> true;
      default -> input.startsWith(RIGHT_DELIM, pos);
    };
  }

  private void lexChar() {
    lexEscaped('\'', "unterminated character constant", Type.CHAR_CONSTANT);
  }

  /** Lexes to the closing {@code quote}, past backslash escapes, on one line. */
  private void lexEscaped(char quote, String unterminated, Type type) {
    while (true) {
      int r = next();
      if (r == '\\') {
        r = next();
        if (r != EOF && r != '\n') {
          continue;
        }
      }
      if (r == EOF || r == '\n') {
        error(unterminated);
        return;
      }
      if (r == quote) {
        break;
      }
    }
    emit(type);
  }

  private void lexNumber() {
    if (!scanNumber()) {
      error("bad number syntax: " + GoFormat.quote(input.substring(start, pos)));
      return;
    }
    int sign = peek();
    if (sign == '+' || sign == '-') {
      // Complex: 1+2i. No spaces, must end in 'i'.
      if (!scanNumber() || input.charAt(pos - 1) != 'i') {
        error("bad number syntax: " + GoFormat.quote(input.substring(start, pos)));
        return;
      }
      emit(Type.COMPLEX);
    } else {
      emit(Type.NUMBER);
    }
  }

  private boolean scanNumber() {
    accept("+-");
    String digits = "0123456789_";
    if (accept("0")) {
      if (accept("xX")) {
        digits = "0123456789abcdefABCDEF_";
      } else if (accept("oO")) {
        digits = "01234567_";
      } else if (accept("bB")) {
        digits = "01_";
      }
    }
    acceptRun(digits);
    if (accept(".")) {
      acceptRun(digits);
    }
    if (digits.length() == 10 + 1 && accept("eE")) {
      accept("+-");
      acceptRun("0123456789_");
    }
    if (digits.length() == 16 + 6 + 1 && accept("pP")) {
      accept("+-");
      acceptRun("0123456789_");
    }
    accept("i");
    if (isAlphaNumeric(peek())) {
      next();
      return false;
    }
    return true;
  }

  private void lexQuote() {
    lexEscaped('"', "unterminated quoted string", Type.STRING);
  }

  private void lexRawQuote() {
    while (true) {
      int r = next();
      if (r == EOF) {
        error("unterminated raw quoted string");
        return;
      }
      if (r == '`') {
        break;
      }
    }
    emit(Type.RAW_STRING);
  }

  // --- character classes ---

  private boolean hasLeftTrimMarker(int at) {
    return at + 1 < input.length() && input.charAt(at) == '-' && isSpace(input.charAt(at + 1));
  }

  private boolean hasRightTrimMarker(int at) {
    return at >= 0 && at + 1 < input.length() && isSpace(input.charAt(at)) && input.charAt(at + 1) == '-';
  }

  private int rightTrimLength(int from, int to) {
    int i = to;
    while (i > from && isSpace(input.charAt(i - 1))) {
      i--;
    }
    return to - i;
  }

  private int leftTrimLength(int from) {
    int i = from;
    while (i < input.length() && isSpace(input.charAt(i))) {
      i++;
    }
    return i - from;
  }

  static boolean isSpace(int r) {
    return r == ' ' || r == '\t' || r == '\r' || r == '\n';
  }

  static boolean isAlphaNumeric(int r) {
    return r == '_' || (r != EOF && (Character.isLetter(r) || Character.isDigit(r)));
  }

  /** Go's {@code %#U}: {@code U+0041 'A'}, or just {@code U+00A0} when not printable. */
  static String goUnicode(int cp) {
    String code = String.format("U+%04X", cp);
    return GoFormat.isGoPrint(cp) ? code + " '" + new String(Character.toChars(cp)) + "'" : code;
  }
}
