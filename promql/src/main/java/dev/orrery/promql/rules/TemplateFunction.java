package dev.orrery.promql.rules;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The functions an alert template may call: Go's {@code text/template} built-ins that alert texts use ({@code and},
 * {@code or}, {@code not}, {@code len}, {@code index}, {@code printf}, {@code eq ne lt le gt ge}) and Prometheus'
 * string and number functions ({@code template/template.go}). Prometheus' query functions ({@code query},
 * {@code first}, ...) are not here: a template that names one fails to parse.
 *
 * <p>Parameters are either Go {@code string}s or any value; {@link AlertTemplate} checks the arity when parsing and
 * the {@code string} parameters when calling, with Go's error texts.
 */
enum TemplateFunction {
  AND("and", 1, -1, 0),
  OR("or", 1, -1, 0),
  NOT("not", 1, 1, 0),
  LEN("len", 1, 1, 0),
  INDEX("index", 1, -1, 0),
  PRINTF("printf", 1, -1, 1),
  EQ("eq", 1, -1, 0),
  NE("ne", 2, 2, 0),
  LT("lt", 2, 2, 0),
  LE("le", 2, 2, 0),
  GT("gt", 2, 2, 0),
  GE("ge", 2, 2, 0),
  HUMANIZE("humanize", 1, 1, 0),
  HUMANIZE_1024("humanize1024", 1, 1, 0),
  HUMANIZE_DURATION("humanizeDuration", 1, 1, 0),
  HUMANIZE_PERCENTAGE("humanizePercentage", 1, 1, 0),
  HUMANIZE_TIMESTAMP("humanizeTimestamp", 1, 1, 0),
  TO_UPPER("toUpper", 1, 1, 1),
  TO_LOWER("toLower", 1, 1, 1),
  TITLE("title", 1, 1, 1),
  MATCH("match", 2, 2, 2),
  RE_REPLACE_ALL("reReplaceAll", 3, 3, 3);

  private static final Map<String, TemplateFunction> BY_NAME = new HashMap<>();

  static {
    for (TemplateFunction f : values()) {
      BY_NAME.put(f.goName, f);
    }
  }

  private final String goName;
  private final int minArgs;
  /** -1 for a variadic function. */
  private final int maxArgs;
  /** How many leading parameters are Go strings; the others take any value. */
  private final int stringParameters;

  TemplateFunction(String goName, int minArgs, int maxArgs, int stringParameters) {
    this.goName = goName;
    this.minArgs = minArgs;
    this.maxArgs = maxArgs;
    this.stringParameters = stringParameters;
  }

  /** The function of that name, or null if templates have none. */
  static @Nullable TemplateFunction byName(String name) {
    return BY_NAME.get(name);
  }

  /** The name templates call it by. */
  String goName() {
    return goName;
  }

  /** {@code and} and {@code or} evaluate their arguments lazily, stopping at the first that decides. */
  boolean shortCircuits() {
    return this == AND || this == OR;
  }

  /** Go's error text when called with {@code argCount} arguments (the piped value included), or null if fine. */
  @Nullable String arityError(int argCount, int explicitArgCount) {
    if (maxArgs < 0) {
      // text/template reports the explicit arguments here, not counting a piped value.
      return argCount < minArgs
          ? "wrong number of args for " + goName + ": want at least " + minArgs + " got " + explicitArgCount
          : null;
    }
    return argCount != minArgs ? "wrong number of args for " + goName + ": want " + minArgs + " got " + argCount : null;
  }

  /** Whether parameter {@code index} is a Go {@code string} rather than any value. */
  boolean stringParameter(int index) {
    return index < stringParameters;
  }

  /** Calls the function; string parameters have been checked. */
  Object apply(List<Object> args) throws TemplateCallException {
    return switch (this) {
      case AND -> {
        for (Object arg : args) {
          if (!TemplateValues.truth(arg)) {
            yield arg;
          }
        }
        yield args.getLast();
      }
      case OR -> {
        for (Object arg : args) {
          if (TemplateValues.truth(arg)) {
            yield arg;
          }
        }
        yield args.getLast();
      }
      case NOT -> !TemplateValues.truth(args.getFirst());
      case LEN -> length(args.getFirst());
      case INDEX -> index(args.getFirst(), args.subList(1, args.size()));
      case PRINTF -> GoFormat.sprintf((String) args.getFirst(), args.subList(1, args.size()));
      case EQ -> Comparisons.eq(args.getFirst(), args.subList(1, args.size()));
      case NE -> !Comparisons.eq(args.get(0), List.of(args.get(1)));
      case LT -> Comparisons.lt(args.get(0), args.get(1));
      case LE -> Comparisons.le(args.get(0), args.get(1));
      case GT -> !Comparisons.le(args.get(0), args.get(1));
      case GE -> !Comparisons.lt(args.get(0), args.get(1));
      case HUMANIZE -> Humanize.humanize(args.getFirst());
      case HUMANIZE_1024 -> Humanize.humanize1024(args.getFirst());
      case HUMANIZE_DURATION -> Humanize.humanizeDuration(args.getFirst());
      case HUMANIZE_PERCENTAGE -> Humanize.humanizePercentage(args.getFirst());
      case HUMANIZE_TIMESTAMP -> Humanize.humanizeTimestamp(args.getFirst());
      case TO_UPPER -> mapCodePoints((String) args.getFirst(), true);
      case TO_LOWER -> mapCodePoints((String) args.getFirst(), false);
      case TITLE -> title((String) args.getFirst());
      case MATCH -> GoRegexp.match((String) args.get(0), (String) args.get(1));
      case RE_REPLACE_ALL -> GoRegexp.replaceAll((String) args.get(0), (String) args.get(1), (String) args.get(2));
    };
  }

  private static Object length(Object item) throws TemplateCallException {
    return switch (item) {
      case String s -> (long) TemplateValues.utf8Length(s);
      case Map<?, ?> m -> (long) m.size();
      default -> throw new TemplateCallException("len of type " + TemplateValues.typeName(item));
    };
  }

  // Go's index: map lookups (a missing key gives ""), and bytes of a string (as their int value).
  private static Object index(Object item, List<Object> indexes) throws TemplateCallException {
    Object v = item;
    for (Object idx : indexes) {
      switch (v) {
        case Map<?, ?> m -> {
          if (!(idx instanceof String key)) {
            throw new TemplateCallException(
                "value has type " + TemplateValues.typeName(idx) + "; should be string");
          }
          Object value = m.get(key);
          v = value == null ? "" : value;
        }
        case String s -> {
          if (!(idx instanceof Long x)) {
            throw new TemplateCallException("cannot index slice/array with type " + TemplateValues.typeName(idx));
          }
          byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
          if (x < 0 || x >= bytes.length) {
            throw new TemplateCallException("index out of range: " + x);
          }
          v = (long) (bytes[x.intValue()] & 0xFF);
        }
        default -> throw new TemplateCallException("can't index item of type " + TemplateValues.typeName(v));
      }
    }
    return v;
  }

  // strings.ToUpper and strings.ToLower map each rune by itself (no "ß" to "SS"), unlike String.toUpperCase.
  private static String mapCodePoints(String s, boolean upper) {
    StringBuilder sb = new StringBuilder(s.length());
    s.codePoints().forEach(cp -> sb.appendCodePoint(upper ? Character.toUpperCase(cp) : Character.toLowerCase(cp)));
    return sb.toString();
  }

  // strings.Title: the first letter of each word to title case; words are separated as Go's isSeparator says.
  private static String title(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    int prev = ' ';
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      sb.appendCodePoint(isSeparator(prev) ? Character.toTitleCase(cp) : cp);
      prev = cp;
    }
    return sb.toString();
  }

  private static boolean isSeparator(int cp) {
    if (cp <= 0x7F) {
      boolean alphanumeric = (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
      return !alphanumeric && cp != '_';
    }
    if (Character.isLetter(cp) || Character.isDigit(cp)) {
      return false;
    }
    // Go's unicode.IsSpace beyond ASCII: U+0085, U+00A0 and the Unicode space separators.
    return cp == 0x85 || cp == 0xA0 || Character.isSpaceChar(cp);
  }

  /** Go's {@code eq}, {@code lt} and {@code le} ({@code text/template/funcs.go}) on the template's value kinds. */
  private static final class Comparisons {
    private enum Kind { BOOL, INT, FLOAT, STRING, OTHER }

    private static Kind kind(Object v) {
      return switch (v) {
        case Boolean b -> Kind.BOOL;
        case Long l -> Kind.INT;
        case Double d -> Kind.FLOAT;
        case String s -> Kind.STRING;
        default -> Kind.OTHER;
      };
    }

    static boolean eq(Object a, List<Object> others) throws TemplateCallException {
      if (others.isEmpty()) {
        throw new TemplateCallException("missing argument for comparison");
      }
      Kind k1 = kind(a);
      for (Object b : others) {
        Kind k2 = kind(b);
        if (k1 != k2) {
          if (k1 == Kind.OTHER && k2 == Kind.OTHER) {
            throw nonComparable(a, b);
          }
          throw new TemplateCallException("incompatible types for comparison");
        }
        boolean truth = switch (k1) {
          case BOOL, INT, STRING -> a.equals(b);
          case FLOAT -> (Double) a == (double) (Double) b;
          case OTHER -> throw nonComparable(a, b);
        };
        if (truth) {
          return true;
        }
      }
      return false;
    }

    // Maps and structs holding maps are not comparable in Go.
    private static TemplateCallException nonComparable(Object a, Object b) {
      if (a.getClass() != b.getClass() && !(a instanceof Map && b instanceof Map)) {
        return new TemplateCallException("non-comparable types " + GoFormat.sprintf("%s", List.of(a)) + ": "
            + TemplateValues.typeName(a) + ", " + TemplateValues.typeName(b) + ": " + TemplateValues.print(b));
      }
      return new TemplateCallException(
          "non-comparable type " + GoFormat.sprintf("%s", List.of(b)) + ": " + TemplateValues.typeName(b));
    }

    static boolean lt(Object a, Object b) throws TemplateCallException {
      Kind k1 = kind(a);
      Kind k2 = kind(b);
      if (k1 == Kind.OTHER || k2 == Kind.OTHER) {
        throw new TemplateCallException("invalid type for comparison");
      }
      if (k1 != k2) {
        throw new TemplateCallException("incompatible types for comparison");
      }
      return switch (k1) {
        case BOOL, OTHER -> throw new TemplateCallException("invalid type for comparison");
        case INT -> (Long) a < (Long) b;
        case FLOAT -> (Double) a < (Double) b;
        case STRING -> TemplateValues.compareStrings((String) a, (String) b) < 0;
      };
    }

    static boolean le(Object a, Object b) throws TemplateCallException {
      return lt(a, b) || eq(a, List.of(b));
    }
  }
}
