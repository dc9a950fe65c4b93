package dev.orrery.promql.promqltest;

import dev.orrery.core.histogram.CounterResetHint;
import dev.orrery.core.histogram.FloatHistogram;
import dev.orrery.core.histogram.Histogram;
import dev.orrery.core.histogram.HistogramArithmetic;
import dev.orrery.core.histogram.Span;
import dev.orrery.core.labels.Labels;
import dev.orrery.core.labels.LabelsBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses the test DSL's series descriptions: {@code metric{label="value"} 1 2+3x4 _ _x2 stale {{schema:1 ...}}}, the
 * expanding notation of {@code promtool test rules} (Prometheus' {@code ParseSeriesDesc}). This is the test language,
 * not PromQL: label values use Go string quoting, values the {@code a+bxN} sequence syntax.
 */
final class SeriesDescParser {
  private final String in;
  private int pos;

  private SeriesDescParser(String in) {
    this.in = in;
  }

  /**
   * A parsed description; {@code startOffsets} are the start timestamps of an {@code @st} line as offsets from each
   * sample's time ({@link #NO_START} where omitted), or null.
   */
  record SeriesDesc(Labels labels, List<SequenceValue> values, long[] startOffsets) {
    SeriesDesc(Labels labels, List<SequenceValue> values) {
      this(labels, values, null);
    }

    SeriesDesc withStartOffsets(long[] offsets) {
      return new SeriesDesc(labels, values, offsets);
    }
  }

  /** Marks a position without a start timestamp. */
  static final long NO_START = Long.MIN_VALUE;

  /**
   * Parses an {@code @st} sequence (Prometheus' {@code parseSTSequence}): {@code _}, {@code _xN}, {@code *} (the
   * previous value), {@code *xN}, {@code <dur>}, {@code <dur>xN}, {@code <dur>+<dur>xN}, {@code <dur>-<dur>xN}.
   */
  static long[] parseStartSequence(String input) {
    List<Long> out = new ArrayList<>();
    for (String item : input.trim().split("\\s+")) {
      if (item.isEmpty()) {
        continue;
      }
      long prev = 0;
      for (int k = out.size() - 1; k >= 0; k--) {
        if (out.get(k) != NO_START) {
          prev = out.get(k);
          break;
        }
      }
      if (item.equals("_")) {
        out.add(NO_START);
      } else if (item.startsWith("_x")) {
        long n = Long.parseLong(item.substring(2));
        for (long j = 0; j < n; j++) {
          out.add(NO_START);
        }
      } else if (item.equals("*")) {
        out.add(prev);
      } else if (item.startsWith("*x")) {
        long n = Long.parseLong(item.substring(2));
        for (long j = 0; j <= n; j++) {
          out.add(prev);
        }
      } else {
        int[] pos = {0};
        long base = durationPrefix(item, pos);
        String rest = item.substring(pos[0]);
        if (rest.isEmpty()) {
          out.add(base);
        } else if (rest.charAt(0) == 'x') {
          long n = Long.parseLong(rest.substring(1));
          for (long j = 0; j <= n; j++) {
            out.add(base);
          }
        } else {
          int[] p2 = {0};
          long delta = durationPrefix(rest, p2);
          String tail = rest.substring(p2[0]);
          if (!tail.startsWith("x")) {
            throw new IllegalArgumentException("expected 'x<count>' after step duration in " + item);
          }
          long n = Long.parseLong(tail.substring(1));
          long v = base;
          for (long j = 0; j <= n; j++) {
            out.add(v);
            v += delta;
          }
        }
      }
    }
    long[] r = new long[out.size()];
    for (int k = 0; k < r.length; k++) {
      r[k] = out.get(k);
    }
    return r;
  }

  // A signed Prometheus duration at the start of s (digits, then unit letters other than the repeat marker x).
  private static long durationPrefix(String s, int[] pos) {
    int i = 0;
    boolean negative = false;
    if (s.charAt(0) == '-' || s.charAt(0) == '+') {
      negative = s.charAt(0) == '-';
      i++;
    }
    int start = i;
    while (i < s.length() && Character.isDigit(s.charAt(i))) {
      i++;
    }
    if (i == start) {
      throw new IllegalArgumentException("expected digits in duration " + s);
    }
    while (i < s.length() && Character.isLetter(s.charAt(i)) && s.charAt(i) != 'x') {
      i++;
    }
    long ms = TestDuration.parseMillis(s.substring(start, i));
    pos[0] = i;
    return negative ? -ms : ms;
  }

  static SeriesDesc parse(String line) {
    SeriesDescParser p = new SeriesDescParser(line);
    Labels labels = p.labels();
    List<SequenceValue> values = p.values();
    return new SeriesDesc(labels, values);
  }

  /** A plain number as Prometheus' test runner accepts it on its own line (Go ParseInt base 0, then ParseFloat). */
  static Double parseNumber(String s) {
    try {
      if (s.matches("[+-]?0[xX][0-9a-fA-F]+")) {
        return (double) Long.decode(s);
      }
      return parseFloat(s);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  static double parseFloat(String s) {
    String t = s.startsWith("+") ? s.substring(1) : s;
    String lower = t.toLowerCase();
    switch (lower) {
      case "inf", "+inf", "infinity" -> {
        return Double.POSITIVE_INFINITY;
      }
      case "-inf", "-infinity" -> {
        return Double.NEGATIVE_INFINITY;
      }
      case "nan", "-nan" -> {
        return Double.NaN;
      }
      default -> { }
    }
    if (!t.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
      throw new IllegalArgumentException("invalid number " + s);
    }
    return Double.parseDouble(t);
  }

  private IllegalArgumentException error(String what) {
    return new IllegalArgumentException(what + " at position " + pos + " in \"" + in + "\"");
  }

  private void skipSpace() {
    while (pos < in.length() && Character.isWhitespace(in.charAt(pos))) {
      pos++;
    }
  }

  private static boolean isNameStart(char c) {
    return Character.isLetter(c) || c == '_' || c == ':';
  }

  private static boolean isNameChar(char c) {
    return isNameStart(c) || Character.isDigit(c);
  }

  private String name() {
    int start = pos;
    while (pos < in.length() && isNameChar(in.charAt(pos))) {
      pos++;
    }
    return in.substring(start, pos);
  }

  private Labels labels() {
    skipSpace();
    LabelsBuilder b = new LabelsBuilder();
    if (pos < in.length() && isNameStart(in.charAt(pos))) {
      b.set(Labels.METRIC_NAME, name());
    }
    if (pos < in.length() && in.charAt(pos) == '{') {
      pos++;
      while (true) {
        skipSpace();
        if (pos >= in.length()) {
          throw error("unterminated label set");
        }
        char c = in.charAt(pos);
        if (c == '}') {
          pos++;
          break;
        }
        String labelName;
        boolean quoted = c == '"' || c == '\'' || c == '`';
        if (quoted) {
          labelName = GoStrings.unquoteAt(in, pos);
          pos = GoStrings.endOf(in, pos);
        } else if (isNameStart(c)) {
          labelName = name();
        } else {
          throw error("unexpected character '" + c + "' in label set");
        }
        skipSpace();
        if (pos < in.length() && in.charAt(pos) == '=') {
          pos++;
          skipSpace();
          String value = GoStrings.unquoteAt(in, pos);
          pos = GoStrings.endOf(in, pos);
          b.set(labelName, value);
        } else if (quoted) {
          b.set(Labels.METRIC_NAME, labelName);
        } else {
          throw error("expected '=' after label name");
        }
        skipSpace();
        if (pos < in.length() && in.charAt(pos) == ',') {
          pos++;
        }
      }
    }
    return b.build();
  }

  private List<SequenceValue> values() {
    List<SequenceValue> out = new ArrayList<>();
    while (true) {
      skipSpace();
      if (pos >= in.length()) {
        return out;
      }
      char c = in.charAt(pos);
      if (c == '_') {
        pos++;
        if (peek('x')) {
          pos++;
          long n = count();
          for (long i = 0; i < n; i++) {
            out.add(SequenceValue.OMITTED);
          }
        } else {
          out.add(SequenceValue.OMITTED);
        }
      } else if (in.startsWith("{{", pos)) {
        histogramItem(out);
      } else {
        floatItem(out);
      }
    }
  }

  private boolean peek(char c) {
    return pos < in.length() && in.charAt(pos) == c;
  }

  private long count() {
    int start = pos;
    while (pos < in.length() && Character.isDigit(in.charAt(pos))) {
      pos++;
    }
    if (start == pos) {
      throw error("expected repetition count");
    }
    return Long.parseLong(in.substring(start, pos));
  }

  private double number() {
    int start = pos;
    if (peek('+') || peek('-')) {
      pos++;
    }
    if (pos < in.length() && Character.isLetter(in.charAt(pos))) {
      while (pos < in.length() && Character.isLetter(in.charAt(pos)) && in.charAt(pos) != 'x') {
        pos++;
      }
    } else {
      while (pos < in.length()) {
        char c = in.charAt(pos);
        if (Character.isDigit(c) || c == '.') {
          pos++;
        } else if ((c == 'e' || c == 'E') && pos + 1 < in.length()
            && (Character.isDigit(in.charAt(pos + 1))
                || ((in.charAt(pos + 1) == '+' || in.charAt(pos + 1) == '-') && pos + 2 < in.length()
                    && Character.isDigit(in.charAt(pos + 2))))) {
          pos += 2;
        } else {
          break;
        }
      }
    }
    String text = in.substring(start, pos);
    if (text.equals("stale")) {
      return Double.longBitsToDouble(0x7ff0000000000002L);
    }
    if (pos < in.length() && Character.isLetter(in.charAt(pos)) && in.charAt(pos) != 'x') {
      throw error("unsupported value (durations and start timestamps are not part of float sequences)");
    }
    return parseFloat(text);
  }

  private void floatItem(List<SequenceValue> out) {
    double base = number();
    if (peek('x')) {
      pos++;
      long n = count();
      for (long i = 0; i <= n; i++) {
        out.add(SequenceValue.ofFloat(base));
      }
      return;
    }
    if (peek('+') || peek('-')) {
      double inc = number();
      if (!peek('x')) {
        throw error("expected 'x' after increment");
      }
      pos++;
      long n = count();
      double cur = base;
      for (long i = 0; i <= n; i++) {
        out.add(SequenceValue.ofFloat(cur));
        cur += inc;
      }
      return;
    }
    out.add(SequenceValue.ofFloat(base));
  }

  private void histogramItem(List<SequenceValue> out) {
    boolean[] hintSet = new boolean[1];
    FloatHistogram base = histogram(hintSet);
    if (peek('x')) {
      pos++;
      long n = count();
      for (long i = 0; i <= n; i++) {
        out.add(SequenceValue.ofHistogram(base, hintSet[0]));
      }
      return;
    }
    if ((peek('+') || peek('-')) && in.startsWith("{{", pos + 1)) {
      boolean minus = peek('-');
      pos++;
      FloatHistogram inc = histogram(new boolean[1]);
      skipSpace();
      if (!peek('x')) {
        throw error("expected 'x' after histogram increment");
      }
      pos++;
      long n = count();
      FloatHistogram cur = base;
      for (long i = 0; i <= n; i++) {
        out.add(SequenceValue.ofHistogram(cur, hintSet[0]));
        HistogramArithmetic.Result r = minus ? HistogramArithmetic.sub(cur, inc) : HistogramArithmetic.add(cur, inc);
        if (r.incompatible()) {
          throw error("incompatible histogram increment");
        }
        cur = HistogramArithmetic.withHint(r.value(), base.counterResetHint());
      }
      return;
    }
    out.add(SequenceValue.ofHistogram(base, hintSet[0]));
  }

  private FloatHistogram histogram(boolean[] hintSet) {
    pos += 2;
    Map<String, Object> fields = new LinkedHashMap<>();
    while (true) {
      skipSpace();
      if (in.startsWith("}}", pos)) {
        pos += 2;
        break;
      }
      int keyStart = pos;
      while (pos < in.length() && (Character.isLetter(in.charAt(pos)) || in.charAt(pos) == '_')) {
        pos++;
      }
      String key = in.substring(keyStart, pos);
      if (key.isEmpty() || !peek(':')) {
        throw error("expected histogram field");
      }
      pos++;
      skipSpace();
      if (peek('[')) {
        pos++;
        List<Double> list = new ArrayList<>();
        while (true) {
          skipSpace();
          if (peek(']')) {
            pos++;
            break;
          }
          list.add(number());
        }
        fields.put(key, list);
      } else if (key.equals("counter_reset_hint")) {
        int hs = pos;
        while (pos < in.length() && (Character.isLetter(in.charAt(pos)) || in.charAt(pos) == '_')) {
          pos++;
        }
        fields.put(key, in.substring(hs, pos));
      } else {
        fields.put(key, number());
      }
    }
    int schema = (int) num(fields, "schema");
    double[] buckets = list(fields, "buckets");
    double[] nBuckets = list(fields, "n_buckets");
    double[] custom = list(fields, "custom_values");
    CounterResetHint hint = CounterResetHint.UNKNOWN;
    Object h = fields.get("counter_reset_hint");
    if (h != null) {
      hintSet[0] = true;
      hint = switch ((String) h) {
        case "unknown" -> CounterResetHint.UNKNOWN;
        case "reset" -> CounterResetHint.COUNTER_RESET;
        case "not_reset" -> CounterResetHint.NOT_COUNTER_RESET;
        case "gauge" -> CounterResetHint.GAUGE;
        default -> throw error("invalid counter_reset_hint " + h);
      };
    }
    Span[] pSpans = buckets.length == 0 ? new Span[0]
        : new Span[] {new Span((int) num(fields, "offset"), buckets.length)};
    Span[] nSpans = nBuckets.length == 0 ? new Span[0]
        : new Span[] {new Span((int) num(fields, "n_offset"), nBuckets.length)};
    if (schema != Histogram.CUSTOM_BUCKETS_SCHEMA) {
      custom = new double[0];
    }
    return new FloatHistogram(hint, schema, num(fields, "z_bucket_w"), num(fields, "z_bucket"),
        num(fields, "count"), num(fields, "sum"), pSpans, buckets, nSpans, nBuckets, custom);
  }

  private static double num(Map<String, Object> fields, String key) {
    Object o = fields.get(key);
    return o == null ? 0 : (Double) o;
  }

  @SuppressWarnings("unchecked")
  private static double[] list(Map<String, Object> fields, String key) {
    Object o = fields.get(key);
    if (o == null) {
      return new double[0];
    }
    List<Double> l = (List<Double>) o;
    double[] out = new double[l.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = l.get(i);
    }
    return out;
  }
}
