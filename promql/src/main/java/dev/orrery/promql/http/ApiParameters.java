package dev.orrery.promql.http;

import dev.orrery.core.labels.Matcher;
import dev.orrery.promql.parser.PromqlParseException;
import dev.orrery.promql.parser.PromqlParser;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.DateTimeException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Parsers for the values of the API's parameters, with the rules and error messages of Prometheus'
 * {@code web/api/v1/api.go} ({@code parseTime}, {@code parseDuration}, {@code parseLimitParam},
 * {@code parseMatchersParam}). Times are returned as Unix milliseconds (Prometheus' {@code timestamp.FromTime}),
 * durations as nanoseconds (Go's {@code time.Duration}). Stateless.
 */
public final class ApiParameters {
  /** The earliest time the API knows: the default {@code start} of series and label queries, in Unix ms. */
  public static final long MIN_TIME_MILLIS = (Long.MIN_VALUE / 1000 + 62135596801L) * 1000;
  /** The latest time the API knows: the default {@code end} of series and label queries, in Unix ms. */
  public static final long MAX_TIME_MILLIS = (Long.MAX_VALUE / 1000 - 62135596801L) * 1000 + 999;

  // RFC 3339 as Go's time.Parse(time.RFC3339Nano, s) accepts it: seconds mandatory, fraction optional.
  private static final Pattern RFC3339 = Pattern.compile(
      "(\\d{4})-(\\d{2})-(\\d{2})T(\\d{2}):(\\d{2}):(\\d{2})(?:[.,](\\d+))?(Z|[+-]\\d{2}:\\d{2})");
  // Go's strconv.ParseFloat syntax (decimal and hexadecimal mantissas, Inf/NaN spellings), without underscores.
  private static final Pattern GO_FLOAT = Pattern.compile(
      "[+-]?(?:(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?"
          + "|0[xX](?:[0-9a-fA-F]+\\.?[0-9a-fA-F]*|\\.[0-9a-fA-F]+)[pP][+-]?\\d+"
          + "|(?i:inf|infinity|nan))");
  private static final Pattern PROM_DURATION = Pattern.compile(
      "(?:(\\d+)y)?(?:(\\d+)w)?(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?(?:(\\d+)ms)?");
  private static final long[] DURATION_UNIT_MILLIS = {
      365L * 24 * 3600 * 1000, 7L * 24 * 3600 * 1000, 24L * 3600 * 1000, 3600L * 1000, 60L * 1000, 1000L, 1L};

  private static final String MIN_TIME_FORMATTED = "-292273086-05-16T16:47:06Z";
  private static final String MAX_TIME_FORMATTED = "292277025-08-18T07:12:54.999999999Z";

  private ApiParameters() {}

  /**
   * Prometheus' {@code parseTime}: Unix seconds with an optional fraction (rounded to milliseconds), or RFC 3339 with
   * optional fractional seconds (truncated to milliseconds).
   *
   * @return Unix milliseconds
   * @throws IllegalArgumentException with Prometheus' message {@code cannot parse "x" to a valid timestamp}
   */
  public static long parseTime(String s) {
    if (GO_FLOAT.matcher(s).matches()) {
      double t = parseGoFloat(s);
      if (Double.isFinite(t)) {
        return unixSecondsToMillis(t);
      }
    }
    var m = RFC3339.matcher(s);
    if (m.matches()) {
      try {
        LocalDateTime local = LocalDateTime.of(
            LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))),
            LocalTime.of(Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)), Integer.parseInt(m.group(6))));
        ZoneOffset offset = m.group(8).equals("Z") ? ZoneOffset.UTC : ZoneOffset.of(m.group(8));
        long millis = local.toEpochSecond(offset) * 1000;
        String fraction = m.group(7);
        if (fraction != null) {
          String ms = (fraction + "00").substring(0, 3);
          millis += Integer.parseInt(ms);
        }
        return millis;
      } catch (DateTimeException e) {
        // falls through to the error below, as Go's parser rejects an impossible date
      }
    }
    if (s.equals(MIN_TIME_FORMATTED)) {
      return MIN_TIME_MILLIS;
    }
    if (s.equals(MAX_TIME_FORMATTED)) {
      return MAX_TIME_MILLIS;
    }
    throw new IllegalArgumentException("cannot parse " + GoQuote.quote(s) + " to a valid timestamp");
  }

  /**
   * Prometheus' {@code parseTimeParam}: {@code defaultMillis} when the parameter is absent or empty, else
   * {@link #parseTime}.
   *
   * @throws ApiException {@code bad_data}, {@code invalid parameter "name": Invalid time value for 'name': ...}
   */
  public static long parseTimeParam(String name, String value, long defaultMillis) {
    if (value == null || value.isEmpty()) {
      return defaultMillis;
    }
    try {
      return parseTime(value);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalidParameter(name, "Invalid time value for '" + name + "': " + e.getMessage());
    }
  }

  /**
   * Prometheus' {@code parseDuration}: float seconds, or a Prometheus duration such as {@code 1m30s}.
   *
   * @return nanoseconds
   * @throws IllegalArgumentException with Prometheus' message {@code cannot parse "x" to a valid duration}
   */
  public static long parseDuration(String s) {
    if (GO_FLOAT.matcher(s).matches()) {
      double d = parseGoFloat(s);
      double nanos = d * 1e9;
      if (nanos > 0x1p63 || nanos < -0x1p63 || Double.isNaN(nanos)) {
        throw new IllegalArgumentException("cannot parse " + GoQuote.quote(s) + " to a valid duration. It overflows int64");
      }
      return (long) nanos;
    }
    long millis = parsePrometheusDurationMillis(s);
    if (millis >= 0) {
      return Math.multiplyExact(millis, 1_000_000L);
    }
    throw new IllegalArgumentException("cannot parse " + GoQuote.quote(s) + " to a valid duration");
  }

  /**
   * Prometheus' {@code parseLimitParam}: 0 (no limit) when absent or empty, else a non-negative integer.
   *
   * @throws ApiException {@code bad_data} for a malformed or negative limit
   */
  public static int parseLimit(String value) {
    if (value == null || value.isEmpty()) {
      return 0;
    }
    if (!value.matches("[+-]?\\d+")) {
      throw ApiException.invalidParameter("limit",
          "strconv.Atoi: parsing " + GoQuote.quote(value) + ": invalid syntax");
    }
    int limit;
    try {
      limit = Integer.parseInt(value.startsWith("+") ? value.substring(1) : value);
    } catch (NumberFormatException e) {
      throw ApiException.invalidParameter("limit",
          "strconv.Atoi: parsing " + GoQuote.quote(value) + ": value out of range");
    }
    if (limit < 0) {
      throw ApiException.invalidParameter("limit", "limit must be non-negative");
    }
    return limit;
  }

  /**
   * Prometheus' {@code parseMatchersParam}: each value is a series selector; every selector needs at least one
   * matcher that does not match the empty string.
   *
   * @throws IllegalArgumentException with the parser's or Prometheus' message
   */
  public static List<List<Matcher>> parseMatcherSets(List<String> selectors) {
    List<List<Matcher>> sets = new ArrayList<>(selectors.size());
    for (String s : selectors) {
      List<Matcher> matchers;
      try {
        matchers = PromqlParser.parseMetricSelector(s);
      } catch (PromqlParseException e) {
        throw new IllegalArgumentException(e.getMessage(), e);
      }
      boolean hasNonEmpty = false;
      for (Matcher m : matchers) {
        if (!m.matches("")) {
          hasNonEmpty = true;
          break;
        }
      }
      if (!hasNonEmpty) {
        throw new IllegalArgumentException("match[] must contain at least one non-empty matcher");
      }
      sets.add(matchers);
    }
    return sets;
  }

  /**
   * Go's {@code time.Unix} of {@code math.Modf(t)} with the fraction rounded to milliseconds, then
   * {@code timestamp.FromTime}: exactly the millisecond Prometheus computes for a float {@code time} parameter.
   */
  static long unixSecondsToMillis(double t) {
    double whole = t < 0 ? Math.ceil(t) : Math.floor(t);
    double fraction = t - whole;
    double roundedFraction = goRound(fraction * 1000) / 1000;
    long seconds = (long) whole;
    long nanos = (long) (roundedFraction * 1e9);
    if (nanos < 0 || nanos >= 1_000_000_000L) {
      long carry = nanos / 1_000_000_000L;
      seconds += carry;
      nanos -= carry * 1_000_000_000L;
      if (nanos < 0) {
        nanos += 1_000_000_000L;
        seconds--;
      }
    }
    return seconds * 1000 + nanos / 1_000_000L;
  }

  // Go's math.Round: half away from zero, exact for every double.
  private static double goRound(double x) {
    if (Double.isNaN(x) || Double.isInfinite(x)) {
      return x;
    }
    double truncated = x < 0 ? Math.ceil(x) : Math.floor(x);
    if (Math.abs(x - truncated) >= 0.5) {
      truncated += Math.copySign(1.0, x);
    }
    return truncated;
  }

  private static double parseGoFloat(String s) {
    String lower = s.toLowerCase(java.util.Locale.ROOT);
    String unsigned = lower.startsWith("+") || lower.startsWith("-") ? lower.substring(1) : lower;
    boolean negative = lower.startsWith("-");
    if (unsigned.equals("inf") || unsigned.equals("infinity")) {
      return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    if (unsigned.equals("nan")) {
      return Double.NaN;
    }
    return Double.parseDouble(s);
  }

  /**
   * Prometheus' {@code model.ParseDuration}: units y, w, d, h, m, s, ms, each at most once and in that order, or
   * {@code 0}. Returns -1 for anything else, and for a duration that overflows.
   */
  public static long parsePrometheusDurationMillis(String s) {
    if (s.equals("0")) {
      return 0;
    }
    if (s.isEmpty()) {
      return -1;
    }
    var m = PROM_DURATION.matcher(s);
    if (!m.matches()) {
      return -1;
    }
    long total = 0;
    try {
      for (int i = 0; i < DURATION_UNIT_MILLIS.length; i++) {
        String g = m.group(i + 1);
        if (g != null) {
          total = Math.addExact(total, Math.multiplyExact(Long.parseLong(g), DURATION_UNIT_MILLIS[i]));
        }
      }
    } catch (ArithmeticException | NumberFormatException e) {
      return -1;
    }
    // model.Duration is in nanoseconds: it must fit an int64 of ns.
    if (total > Long.MAX_VALUE / 1_000_000L) {
      return -1;
    }
    return total;
  }
}
