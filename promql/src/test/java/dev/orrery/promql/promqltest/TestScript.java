package dev.orrery.promql.promqltest;

import com.google.re2j.Pattern;
import dev.orrery.core.labels.Labels;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;

/**
 * A parsed {@code .test} file: the commands of Prometheus' test DSL ({@code load}, {@code load_with_nhcb},
 * {@code clear}, {@code eval} with its {@code expect} lines), parsed as {@code promqltest/test.go} does.
 */
final class TestScript {
  private static final java.util.regex.Pattern LOAD = java.util.regex.Pattern.compile("^load(?:_(with_nhcb))?\\s+(.+?)$");
  private static final java.util.regex.Pattern EVAL_INSTANT =
      java.util.regex.Pattern.compile("^eval(?:_(fail|warn|ordered|info))?\\s+instant\\s+(?:at\\s+(.+?))?\\s+(.+)$");
  private static final java.util.regex.Pattern EVAL_RANGE = java.util.regex.Pattern.compile(
      "^eval(?:_(fail|warn|info))?\\s+range\\s+from\\s+(.+)\\s+to\\s+(.+)\\s+step\\s+(.+?)\\s+(.+)$");
  private static final java.util.regex.Pattern EXPECT = java.util.regex.Pattern.compile(
      "^expect\\s+(ordered|fail|warn|no_warn|info|no_info)(?:\\s+(regex|msg):(.+))?$");
  private static final java.util.regex.Pattern EXPECT_RANGE =
      java.util.regex.Pattern.compile("^expect range vector\\s+from\\s+(.+)\\s+to\\s+(.+)\\s+step\\s+(.+)$");

  /** A command of the script. */
  sealed interface Command permits Load, Clear, Eval {}

  /** {@code load <interval>}: series with their expanded values; {@code withNhcb} adds NHCB conversions. */
  record Load(int line, long intervalMillis, boolean withNhcb, List<SeriesDescParser.SeriesDesc> series,
      String error) implements Command {}

  /** {@code clear}. */
  record Clear(int line) implements Command {}

  /** The kinds of {@code expect} lines. */
  enum ExpectType { ORDERED, FAIL, WARN, NO_WARN, INFO, NO_INFO }

  /** One {@code expect} line: an exact message, or a regex (unanchored, like Go's MatchString). */
  record Expectation(String message, Pattern regex) {
    boolean matches(String s) {
      return regex == null ? message.equals(s) : regex.matcher(s).find();
    }

    @Override
    public String toString() {
      return regex == null ? "message \"" + message + "\"" : "pattern \"" + regex.pattern() + "\"";
    }
  }

  /** An expected series (or scalar, when labels are null) with its values and line position among results. */
  record Expected(int position, Labels labels, List<SequenceValue> values) {}

  /** {@code eval instant|range ...}. */
  static final class Eval implements Command {
    final int line;
    final String expr;
    final boolean range;
    long startMillis;
    long endMillis;
    long stepMillis;
    long evalMillis;
    boolean fail;
    boolean warn;
    boolean info;
    boolean ordered;
    String expectedFailMessage;
    Pattern expectedFailRegexp;
    final Map<ExpectType, List<Expectation>> expects = new EnumMap<>(ExpectType.class);
    boolean expectScalar;
    final Map<Labels, Expected> expected = new LinkedHashMap<>();
    Expected expectedScalar;
    String expectedString;
    boolean excludeFromRangeQuery;
    String parseError;

    Eval(int line, String expr, boolean range) {
      this.line = line;
      this.expr = expr;
      this.range = range;
    }

    boolean isOrdered() {
      return ordered || !expects.getOrDefault(ExpectType.ORDERED, List.of()).isEmpty();
    }

    boolean isFail() {
      return fail || !expects.getOrDefault(ExpectType.FAIL, List.of()).isEmpty();
    }

    List<Expectation> expects(ExpectType t) {
      return expects.getOrDefault(t, List.of());
    }
  }

  final List<Command> commands = new ArrayList<>();

  private TestScript() {}

  /** Parses {@code input}; a malformed command becomes a command that fails with its reason. */
  static TestScript parse(String input) {
    String[] lines = input.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String l = lines[i].strip();
      lines[i] = l.startsWith("#") ? "" : l;
    }
    TestScript script = new TestScript();
    for (int i = 0; i < lines.length; i++) {
      String l = lines[i];
      if (l.isEmpty()) {
        continue;
      }
      String c = l.split("[\\t ]+", 2)[0].toLowerCase();
      if (c.equals("clear")) {
        script.commands.add(new Clear(i + 1));
      } else if (c.startsWith("load")) {
        i = script.parseLoad(lines, i);
      } else if (c.startsWith("eval")) {
        i = script.parseEval(lines, i);
      } else {
        throw new IllegalArgumentException("line " + (i + 1) + ": invalid command \"" + l + "\"");
      }
    }
    return script;
  }

  private int parseLoad(String[] lines, int i) {
    Matcher m = LOAD.matcher(lines[i]);
    if (!m.matches()) {
      throw new IllegalArgumentException("line " + (i + 1) + ": invalid load command");
    }
    int line = i + 1;
    long gap = TestDuration.parseMillis(m.group(2));
    List<SeriesDescParser.SeriesDesc> series = new ArrayList<>();
    String error = null;
    long[] defaultStarts = null;
    long[] pendingStarts = null;
    Labels pendingStartLabels = null;
    while (i + 1 < lines.length) {
      i++;
      String def = lines[i];
      if (def.isEmpty()) {
        i--;
        break;
      }
      int space = indexOfSpace(def);
      try {
        if (space > 0 && def.substring(0, space).endsWith("@st")) {
          String metric = def.substring(0, space - 3);
          long[] starts = SeriesDescParser.parseStartSequence(def.substring(space + 1));
          if (metric.isEmpty()) {
            defaultStarts = starts;
          } else {
            pendingStarts = starts;
            pendingStartLabels = SeriesDescParser.parse(metric + " _").labels();
          }
          continue;
        }
        SeriesDescParser.SeriesDesc d = SeriesDescParser.parse(def);
        if (pendingStarts != null) {
          if (!d.labels().equals(pendingStartLabels) || pendingStarts.length != d.values().size()) {
            throw new IllegalArgumentException("@st line does not match the following sample line");
          }
          d = d.withStartOffsets(pendingStarts);
          pendingStarts = null;
        } else if (defaultStarts != null) {
          long[] cycled = new long[d.values().size()];
          for (int k = 0; k < cycled.length; k++) {
            cycled[k] = defaultStarts[k % defaultStarts.length];
          }
          d = d.withStartOffsets(cycled);
        }
        series.add(d);
      } catch (IllegalArgumentException e) {
        error = "line " + (i + 1) + ": " + e.getMessage();
      }
    }
    commands.add(new Load(line, gap, m.group(1) != null, series, error));
    return i;
  }

  private static int indexOfSpace(String s) {
    for (int k = 0; k < s.length(); k++) {
      if (s.charAt(k) == ' ' || s.charAt(k) == '\t') {
        return k;
      }
    }
    return -1;
  }

  private int parseEval(String[] lines, int i) {
    Matcher inst = EVAL_INSTANT.matcher(lines[i]);
    Matcher rng = EVAL_RANGE.matcher(lines[i]);
    boolean isInstant = inst.matches();
    if (!isInstant && !rng.matches()) {
      throw new IllegalArgumentException("line " + (i + 1) + ": invalid evaluation command");
    }
    String mod = isInstant ? inst.group(1) : rng.group(1);
    String expr = isInstant ? inst.group(3) : rng.group(5);
    Eval cmd = new Eval(i + 1, expr, !isInstant);
    if (isInstant) {
      String at = inst.group(2);
      cmd.startMillis = TestDuration.parseMillis(at);
      cmd.evalMillis = cmd.startMillis;
    } else {
      cmd.startMillis = TestDuration.parseMillis(rng.group(2));
      cmd.endMillis = TestDuration.parseMillis(rng.group(3));
      cmd.stepMillis = TestDuration.parseMillis(rng.group(4));
    }
    if (mod != null) {
      switch (mod) {
        case "ordered" -> cmd.ordered = true;
        case "fail" -> cmd.fail = true;
        case "warn" -> cmd.warn = true;
        case "info" -> cmd.info = true;
        default -> throw new IllegalStateException(mod);
      }
    }
    boolean expectRangeVector = false;
    int j = 1;
    while (i + 1 < lines.length) {
      i++;
      String def = lines[i];
      if (def.isEmpty()) {
        i--;
        break;
      }
      if (cmd.fail && def.startsWith("expected_fail_message")) {
        cmd.expectedFailMessage = def.substring("expected_fail_message".length()).strip();
        break;
      }
      if (cmd.fail && def.startsWith("expected_fail_regexp")) {
        cmd.expectedFailRegexp = Pattern.compile(def.substring("expected_fail_regexp".length()).strip());
        break;
      }
      if (def.startsWith("expect range vector")) {
        Matcher m = EXPECT_RANGE.matcher(def);
        if (!m.matches()) {
          cmd.parseError = "invalid range vector definition \"" + def + "\"";
          continue;
        }
        expectRangeVector = true;
        cmd.startMillis = TestDuration.parseMillis(m.group(1));
        cmd.endMillis = TestDuration.parseMillis(m.group(2));
        cmd.stepMillis = TestDuration.parseMillis(m.group(3));
        cmd.evalMillis = cmd.endMillis;
        cmd.excludeFromRangeQuery = true;
        continue;
      }
      if (def.startsWith("expect string")) {
        String s = def.equals("expect string") ? "" : def.substring("expect string ".length());
        try {
          cmd.expectedString = GoStrings.unquote(s);
        } catch (RuntimeException e) {
          cmd.parseError = "expected string literal not valid - check that the string is correctly quoted";
        }
        cmd.excludeFromRangeQuery = true;
        continue;
      }
      if (def.split(" ")[0].equals("expect")) {
        Matcher m = EXPECT.matcher(def.strip());
        if (!m.matches()) {
          cmd.parseError = "invalid expect statement: " + def;
          continue;
        }
        ExpectType type = ExpectType.valueOf(m.group(1).toUpperCase());
        Expectation e;
        if (m.group(2) == null) {
          e = new Expectation(null, Pattern.compile("^.*$"));
        } else if (m.group(2).equals("msg")) {
          e = new Expectation(m.group(3).strip(), null);
        } else {
          e = new Expectation(null, Pattern.compile(m.group(3).strip()));
        }
        cmd.expects.computeIfAbsent(type, k -> new ArrayList<>()).add(e);
        continue;
      }
      Double f = SeriesDescParser.parseNumber(def);
      if (f != null) {
        cmd.expectScalar = true;
        cmd.expectedScalar = new Expected(0, null, List.of(SequenceValue.ofFloat(f)));
        break;
      }
      try {
        SeriesDescParser.SeriesDesc d = SeriesDescParser.parse(def);
        if (d.values().size() > 1 && isInstant && !expectRangeVector) {
          cmd.parseError = "expecting multiple values in instant evaluation not allowed";
        }
        cmd.expectScalar = false;
        cmd.expected.put(d.labels(), new Expected(j, d.labels(), d.values()));
        j++;
      } catch (IllegalArgumentException e) {
        cmd.parseError = "line " + (i + 1) + ": " + e.getMessage();
      }
    }
    commands.add(cmd);
    return i;
  }
}
