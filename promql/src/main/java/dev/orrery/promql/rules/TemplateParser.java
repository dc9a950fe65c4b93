package dev.orrery.promql.rules;

import dev.orrery.promql.rules.TemplateLexer.Item;
import dev.orrery.promql.rules.TemplateLexer.Type;
import dev.orrery.promql.rules.TemplateNode.Action;
import dev.orrery.promql.rules.TemplateNode.If;
import dev.orrery.promql.rules.TemplateNode.Text;
import dev.orrery.promql.rules.TemplateOperand.BoolLiteral;
import dev.orrery.promql.rules.TemplateOperand.Command;
import dev.orrery.promql.rules.TemplateOperand.Dot;
import dev.orrery.promql.rules.TemplateOperand.Function;
import dev.orrery.promql.rules.TemplateOperand.NumberLiteral;
import dev.orrery.promql.rules.TemplateOperand.Pipe;
import dev.orrery.promql.rules.TemplateOperand.Reference;
import dev.orrery.promql.rules.TemplateOperand.Source;
import dev.orrery.promql.rules.TemplateOperand.StringLiteral;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Builds the node tree of an alert template from its {@link TemplateLexer} items, following Go's
 * {@code text/template/parse/parse.go} (so errors read as Go's: {@code template: summary:1: function "query" not
 * defined}), restricted to alert templates: {@code if}/{@code else if}/{@code else}/{@code end} are the only control
 * structures, the variables are {@code $}, {@code $labels}, {@code $externalLabels} and {@code $value}, fields are
 * resolved against the alert data, and calls are checked against {@link TemplateFunction}'s arities. What Go finds
 * only when executing (an unknown field, a wrong number of arguments) is a parse error here.
 */
final class TemplateParser {
  private final String name;
  private final List<Item> items;
  private int index;
  /** The furthest item read; Go reports parse errors at its line. */
  private int furthest;
  /** Line of the action being parsed, 0 outside actions. */
  private int actionLine;
  /** Set when {@link #textOrAction} has parsed {@code {{end}}} or {@code {{else}}} rather than a node. */
  private @Nullable String marker;

  private TemplateParser(String name, List<Item> items) {
    this.name = name;
    this.items = items;
  }

  /** Parses {@code text}; throws IllegalArgumentException with Go's {@code template: name:line: message}. */
  static List<TemplateNode> parse(String name, String text) {
    return new TemplateParser(name, TemplateLexer.lex(text)).parseAll();
  }

  // --- items ---

  private Item next() {
    Item item = items.get(Math.min(index, items.size() - 1));
    furthest = Math.max(furthest, Math.min(index, items.size() - 1));
    index++;
    return item;
  }

  private void backup() {
    index--;
  }

  private Item peek() {
    Item item = next();
    backup();
    return item;
  }

  private Item nextNonSpace() {
    Item item;
    do {
      item = next();
    } while (item.type() == Type.SPACE);
    return item;
  }

  private Item peekNonSpace() {
    Item item = nextNonSpace();
    backup();
    return item;
  }

  private IllegalArgumentException error(String message) {
    return new IllegalArgumentException("template: " + name + ":" + items.get(furthest).line() + ": " + message);
  }

  private IllegalArgumentException unexpected(Item token, String context) {
    if (token.type() == Type.ERROR) {
      String extra = "";
      if (actionLine != 0 && actionLine != token.line()) {
        extra = " in action started at " + name + ":" + actionLine;
        if (token.val().endsWith(" action")) {
          extra = extra.substring(" in action".length());
        }
      }
      return error(token.val() + extra);
    }
    return error("unexpected " + token + " in " + context);
  }

  private Item expect(Type type, String context) {
    Item token = nextNonSpace();
    if (token.type() != type) {
      throw unexpected(token, context);
    }
    return token;
  }

  // --- structure ---

  private List<TemplateNode> parseAll() {
    List<TemplateNode> list = new ArrayList<>();
    while (peek().type() != Type.EOF) {
      TemplateNode node = textOrAction();
      if (node == null) {
        throw error("unexpected " + marker);
      }
      list.add(node);
    }
    return list;
  }

  /** A text or action node, or null with {@link #marker} set for {@code {{end}}} and {@code {{else}}}. */
  private @Nullable TemplateNode textOrAction() {
    Item token = nextNonSpace();
    switch (token.type()) {
      case TEXT -> {
        return new Text(token.val());
      }
      case LEFT_DELIM -> {
        actionLine = token.line();
        try {
          return action();
        } finally {
          actionLine = 0;
        }
      }
      default -> throw unexpected(token, "input");
    }
  }

  private @Nullable TemplateNode action() {
    Item token = nextNonSpace();
    switch (token.type()) {
      case ELSE -> {
        // "{{else if ...}}": the if stays for ifControl, which nests it in the else branch.
        if (peekNonSpace().type() != Type.IF) {
          expect(Type.RIGHT_DELIM, "else");
        }
        marker = "{{else}}";
        return null;
      }
      case END -> {
        expect(Type.RIGHT_DELIM, "end");
        marker = "{{end}}";
        return null;
      }
      case IF -> {
        return ifControl();
      }
      case BLOCK, DEFINE, RANGE, TEMPLATE, WITH ->
          throw error("{{" + token.val() + "}} is not supported in alert templates");
      default -> {
        backup();
        return new Action(pipeline("command", Type.RIGHT_DELIM));
      }
    }
  }

  private If ifControl() {
    Pipe pipe = pipeline("if", Type.RIGHT_DELIM);
    List<TemplateNode> list = itemList();
    List<TemplateNode> elseList = List.of();
    if ("{{else}}".equals(marker)) {
      if (peek().type() == Type.IF) {
        // {{if a}}x{{else if b}}y{{end}} is {{if a}}x{{else}}{{if b}}y{{end}}{{end}}: one {{end}} closes both.
        next();
        elseList = List.of(ifControl());
      } else {
        elseList = itemList();
        if (!"{{end}}".equals(marker)) {
          throw error("expected end; found " + marker);
        }
      }
    }
    return new If(pipe, list, elseList);
  }

  /** Nodes up to an {@code {{end}}} or {@code {{else}}}, which is left in {@link #marker}. */
  private List<TemplateNode> itemList() {
    List<TemplateNode> list = new ArrayList<>();
    while (peekNonSpace().type() != Type.EOF) {
      TemplateNode node = textOrAction();
      if (node == null) {
        return list;
      }
      list.add(node);
    }
    throw error("unexpected EOF");
  }

  // --- pipelines ---

  private Pipe pipeline(String context, Type end) {
    Item first = peekNonSpace();
    if (first.type() == Type.VARIABLE) {
      int save = index;
      nextNonSpace();
      Item after = peekNonSpace();
      if (after.type() == Type.ASSIGN || after.type() == Type.DECLARE
          || (after.type() == Type.CHAR && after.val().equals(","))) {
        throw error("declaring or assigning variables (" + first.val() + " " + after.val()
            + " ...) is not supported in alert templates");
      }
      index = save;
    }
    List<Command> commands = new ArrayList<>();
    while (true) {
      Item token = nextNonSpace();
      if (token.type() == end) {
        checkPipeline(commands, context);
        return new Pipe(first.pos(), commands);
      }
      switch (token.type()) {
        case BOOL, CHAR_CONSTANT, COMPLEX, DOT, FIELD, IDENTIFIER, NUMBER, NIL, RAW_STRING, STRING, VARIABLE,
            LEFT_PAREN -> {
          backup();
          commands.add(command());
        }
        default -> throw unexpected(token, context);
      }
    }
  }

  private Command command() {
    int pos = peekNonSpace().pos();
    List<TemplateOperand> args = new ArrayList<>();
    loop:
    while (true) {
      peekNonSpace();
      TemplateOperand operand = operand();
      if (operand != null) {
        args.add(operand);
      }
      Item token = next();
      switch (token.type()) {
        case SPACE -> {
          continue;
        }
        case RIGHT_DELIM, RIGHT_PAREN -> backup();
        case PIPE -> {
          // The next command follows.
        }
        default -> throw unexpected(token, "operand");
      }
      break loop;
    }
    if (args.isEmpty()) {
      throw error("empty command");
    }
    return new Command(pos, args);
  }

  // Go's checkPipeline, plus the checks Go makes only when executing: arities and arguments to non-functions.
  private void checkPipeline(List<Command> commands, String context) {
    if (commands.isEmpty()) {
      throw error("missing value for " + context);
    }
    for (int i = 1; i < commands.size(); i++) {
      switch (commands.get(i).args().getFirst()) {
        case BoolLiteral b -> throw error("non executable command in pipeline stage " + (i + 1));
        case Dot d -> throw error("non executable command in pipeline stage " + (i + 1));
        case NumberLiteral n -> throw error("non executable command in pipeline stage " + (i + 1));
        case StringLiteral s -> throw error("non executable command in pipeline stage " + (i + 1));
        default -> {
          // Executable.
        }
      }
    }
    for (int i = 0; i < commands.size(); i++) {
      List<TemplateOperand> args = commands.get(i).args();
      if (args.getFirst() instanceof Function f) {
        int explicit = args.size() - 1;
        String arity = f.function().arityError(explicit + (i > 0 ? 1 : 0), explicit);
        if (arity != null) {
          throw error(arity);
        }
      } else if (args.size() > 1 || i > 0) {
        throw error("can't give argument to non-function " + args.getFirst().goString());
      }
      for (TemplateOperand arg : args.subList(1, args.size())) {
        // A function named as an argument is called without arguments; every template function needs some.
        if (arg instanceof Function f) {
          String arity = f.function().arityError(0, 0);
          if (arity != null) {
            throw error(arity);
          }
        }
      }
    }
  }

  private @Nullable TemplateOperand operand() {
    Item token = nextNonSpace();
    if (token.type() == Type.FIELD || token.type() == Type.VARIABLE) {
      StringBuilder text = new StringBuilder(token.val());
      if (token.type() == Type.VARIABLE) {
        checkVariable(token.val());
      }
      while (peek().type() == Type.FIELD) {
        text.append(next().val());
      }
      return reference(token, text.toString());
    }
    backup();
    TemplateOperand node = term();
    if (node != null && peek().type() == Type.FIELD) {
      if (node instanceof Pipe || node instanceof Function) {
        throw error("field access on a function's result (" + node.goString() + next().val()
            + ") is not supported in alert templates");
      }
      throw error("unexpected . after term " + GoFormat.quote(node.goString()));
    }
    return node;
  }

  private @Nullable TemplateOperand term() {
    Item token = nextNonSpace();
    return switch (token.type()) {
      case IDENTIFIER -> {
        TemplateFunction function = TemplateFunction.byName(token.val());
        if (function == null) {
          throw error("function " + GoFormat.quote(token.val()) + " not defined");
        }
        yield new Function(token.pos(), function);
      }
      case DOT -> new Dot(token.pos());
      case NIL -> throw error("nil is not supported in alert templates");
      case BOOL -> new BoolLiteral(token.pos(), token.val().equals("true"));
      case CHAR_CONSTANT, COMPLEX, NUMBER -> number(token);
      case LEFT_PAREN -> pipeline("parenthesized pipeline", Type.RIGHT_PAREN);
      case STRING, RAW_STRING -> new StringLiteral(token.pos(), token.val(), unquote(token.val()));
      default -> {
        backup();
        yield null;
      }
    };
  }

  private void checkVariable(String variable) {
    switch (variable) {
      case "$", "$labels", "$externalLabels", "$value" -> {
        // Prometheus declares these before each alert template.
      }
      default -> throw error("undefined variable " + GoFormat.quote(variable));
    }
  }

  // Resolves .Labels.job, $labels.job, .Value, $value, $ and so on against the alert data's type.
  private Reference reference(Item token, String text) {
    Source source = Source.DATA;
    String path = text;
    if (token.type() == Type.VARIABLE) {
      int dot = text.indexOf('.');
      String variable = dot < 0 ? text : text.substring(0, dot);
      path = dot < 0 ? "" : text.substring(dot);
      source = switch (variable) {
        case "$labels" -> Source.LABELS;
        case "$externalLabels" -> Source.EXTERNAL_LABELS;
        case "$value" -> Source.VALUE;
        default -> Source.DATA;
      };
    }
    String key = null;
    for (String field : path.isEmpty() ? new String[0] : path.substring(1).split("\\.", -1)) {
      switch (source) {
        case DATA -> source = switch (field) {
          case "Labels" -> Source.LABELS;
          case "ExternalLabels" -> Source.EXTERNAL_LABELS;
          case "Value" -> Source.VALUE;
          default -> throw error("can't evaluate field " + field + " in type " + TemplateValues.DATA_TYPE);
        };
        case LABELS, EXTERNAL_LABELS -> {
          if (key != null) {
            throw error("can't evaluate field " + field + " in type string");
          }
          key = field;
        }
        case VALUE -> throw error("can't evaluate field " + field + " in type float64");
      }
    }
    return new Reference(token.pos(), text, source, key);
  }

  // --- literals ---

  // Go's newNumber and idealConstant: a float64 if written with . e E p P (and not a hex int), else an int.
  private NumberLiteral number(Item token) {
    String text = token.val();
    if (token.type() == Type.CHAR_CONSTANT) {
      int[] decoded = new int[2];
      if (!unquoteChar(text, 1, '\'', decoded) || decoded[1] != text.length() - 1) {
        throw error("malformed character constant: " + text);
      }
      return new NumberLiteral(token.pos(), text, (long) decoded[0]);
    }
    if (token.type() == Type.COMPLEX || text.endsWith("i")) {
      throw error("complex number " + text + " is not supported in alert templates");
    }
    BigInteger integer = parseInteger(text);
    boolean hexInt = text.matches("[+-]?0[xX].*") && !text.contains("p") && !text.contains("P");
    boolean floatSyntax = !hexInt && text.chars().anyMatch(c -> ".eEpP".indexOf(c) >= 0);
    if (floatSyntax) {
      try {
        return new NumberLiteral(token.pos(), text, Humanize.parseFloat(text));
      } catch (TemplateCallException e) {
        throw error("illegal number syntax: " + GoFormat.quote(text));
      }
    }
    if (integer == null) {
      throw error("illegal number syntax: " + GoFormat.quote(text));
    }
    if (integer.bitLength() > 63) {
      throw error(integer.signum() > 0 && integer.bitLength() == 64 ? text + " overflows int"
          : "integer overflow: " + GoFormat.quote(text));
    }
    return new NumberLiteral(token.pos(), text, integer.longValue());
  }

  // strconv.ParseInt(text, 0, 64) syntax: sign, 0x/0o/0b or a leading 0 (octal), underscores between digits.
  private static @Nullable BigInteger parseInteger(String text) {
    String s = text;
    boolean negative = false;
    if (s.startsWith("+") || s.startsWith("-")) {
      negative = s.charAt(0) == '-';
      s = s.substring(1);
    }
    int radix = 10;
    boolean prefixed = false;
    if (s.length() >= 2 && s.charAt(0) == '0') {
      switch (s.charAt(1)) {
        case 'x', 'X' -> radix = 16;
        case 'o', 'O' -> radix = 8;
        case 'b', 'B' -> radix = 2;
        default -> radix = 8;
      }
      prefixed = radix != 8 || Character.isLetter(s.charAt(1));
      s = prefixed ? s.substring(2) : s.substring(1);
    }
    // Underscores only between digits, or right after a base prefix.
    if (s.isEmpty() || s.endsWith("_") || s.contains("__") || (s.startsWith("_") && !prefixed)) {
      return null;
    }
    String digits = s.replace("_", "");
    if (digits.isEmpty()) {
      return null;
    }
    for (int i = 0; i < digits.length(); i++) {
      if (Character.digit(digits.charAt(i), radix) < 0) {
        return null;
      }
    }
    BigInteger value = new BigInteger(digits, radix);
    return negative ? value.negate() : value;
  }

  // strconv.Unquote for "..." and `...` literals the lexer has delimited.
  private String unquote(String quoted) {
    if (quoted.charAt(0) == '`') {
      // Raw strings drop carriage returns.
      return quoted.substring(1, quoted.length() - 1).replace("\r", "");
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(quoted.length());
    int[] decoded = new int[2];
    int i = 1;
    int end = quoted.length() - 1;
    while (i < end) {
      boolean isByte = quoted.charAt(i) == '\\' && i + 1 < end
          && (quoted.charAt(i + 1) == 'x' || (quoted.charAt(i + 1) >= '0' && quoted.charAt(i + 1) <= '7'));
      if (!unquoteChar(quoted, i, '"', decoded) || decoded[1] > end) {
        throw error("invalid syntax");
      }
      if (isByte) {
        bytes.write(decoded[0]);
      } else {
        byte[] utf8 = new String(Character.toChars(decoded[0])).getBytes(StandardCharsets.UTF_8);
        bytes.write(utf8, 0, utf8.length);
      }
      i = decoded[1];
    }
    // Bytes that are not UTF-8 (say "\xff") become U+FFFD.
    return bytes.toString(StandardCharsets.UTF_8);
  }

  /**
   * strconv.UnquoteChar: decodes one character or escape of {@code s} at {@code i} inside {@code quote} quotes into
   * {@code out[0]} (a code point, or a byte value for {@code \x} and octal escapes) and the next index into
   * {@code out[1]}; false on bad syntax.
   */
  private static boolean unquoteChar(String s, int i, char quote, int[] out) {
    if (i >= s.length()) {
      return false;
    }
    int c = s.codePointAt(i);
    if (c == quote) {
      return false;
    }
    if (c != '\\') {
      out[0] = c;
      out[1] = i + Character.charCount(c);
      return true;
    }
    if (i + 1 >= s.length()) {
      return false;
    }
    char e = s.charAt(i + 1);
    int value;
    int next = i + 2;
    switch (e) {
      case 'a' -> value = 0x07;
      case 'b' -> value = '\b';
      case 'f' -> value = '\f';
      case 'n' -> value = '\n';
      case 'r' -> value = '\r';
      case 't' -> value = '\t';
      case 'v' -> value = 0x0B;
      case '\\' -> value = '\\';
      case '\'', '"' -> {
        if (e != quote) {
          return false;
        }
        value = e;
      }
      case 'x', 'u', 'U' -> {
        int n = e == 'x' ? 2 : e == 'u' ? 4 : 8;
        if (next + n > s.length()) {
          return false;
        }
        value = 0;
        for (int j = 0; j < n; j++) {
          int digit = Character.digit(s.charAt(next + j), 16);
          if (digit < 0) {
            return false;
          }
          value = value * 16 + digit;
          if (value > Character.MAX_CODE_POINT && e != 'x') {
            return false;
          }
        }
        next += n;
        if (e != 'x' && value >= Character.MIN_SURROGATE && value <= Character.MAX_SURROGATE) {
          return false;
        }
      }
      case '0', '1', '2', '3', '4', '5', '6', '7' -> {
        if (i + 4 > s.length()) {
          return false;
        }
        value = 0;
        for (int j = 1; j <= 3; j++) {
          int digit = s.charAt(i + j) - '0';
          if (digit < 0 || digit > 7) {
            return false;
          }
          value = value * 8 + digit;
        }
        if (value > 255) {
          return false;
        }
        next = i + 4;
      }
      default -> {
        return false;
      }
    }
    out[0] = value;
    out[1] = next;
    return true;
  }
}
