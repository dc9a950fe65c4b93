package dev.orrery.promql.ast;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every function of PromQL 3.x with its signature, as Prometheus' {@code promql/parser/functions.go}: argument
 * types, how many optional trailing arguments it takes ({@link #variadic()}), return type and whether Prometheus marks
 * it experimental. {@code holt_winters}, the 2.x name of {@link #DOUBLE_EXPONENTIAL_SMOOTHING}, is accepted by {@link
 * #fromName(String)} so that old Grafana dashboards keep working.
 */
public enum Function {
  /** {@code abs}. */
  ABS("abs", List.of(ValueType.VECTOR), 0, ValueType.VECTOR, false),
  /** {@code absent}. */
  ABSENT("absent", List.of(ValueType.VECTOR), 0, ValueType.VECTOR, false),
  /** {@code absent_over_time}. */
  ABSENT_OVER_TIME("absent_over_time", List.of(ValueType.MATRIX), 0, ValueType.VECTOR, false),
  /** {@code acos}. */
  ACOS("acos", List.of(ValueType.VECTOR), 0, ValueType.VECTOR, false),
  /** {@code acosh}. */
  ACOSH("acosh", List.of(ValueType.VECTOR), 0, ValueType.VECTOR, false),
  /** {@code asin}. */
  ASIN("asin", List.of(ValueType.VECTOR), 0, ValueType.VECTOR, false),
  /** {@code asinh}. */
  ASINH("asinh", List.of(ValueType.VECTOR), 0, ValueType.VECTOR, false),
  /** {@code atan}. */
  ATAN("atan", List.of(ValueType.VECTOR), 0, ValueType.VECTOR, false),
  /** {@code atanh}. */
  ATANH("atanh", List.of(ValueType.VECTOR), 0, ValueType.VECTOR, false),
  /** {@code avg_over_time}. */
  AVG_OVER_TIME("avg_over_time", List.of(ValueType.MATRIX), 0, ValueType.VECTOR, false),
  /** {@code ceil}. */
  CEIL("ceil", List.of(ValueType.VECTOR), 0, ValueType.VECTOR, false),
  /** {@code changes}. */
  CHANGES("changes", List.of(ValueType.MATRIX), 0, ValueType.VECTOR, false),
  /** {@code clamp}. */
  CLAMP("clamp", List.of(ValueType.VECTOR, ValueType.SCALAR, ValueType.SCALAR), 0, ValueType.VECTOR, false),
  /** {@code clamp_max}. */
  CLAMP_MAX("clamp_max", List.of(ValueType.VECTOR, ValueType.SCALAR), 0, ValueType.VECTOR, false),
  /** {@code clamp_min}. */
  CLAMP_MIN("clamp_min", List.of(ValueType.VECTOR, ValueType.SCALAR), 0, ValueType.VECTOR, false),
  /** {@code cos}. */
  COS("cos", List.of(ValueType.VECTOR), 0, ValueType.VECTOR, false),
  /** {@code cosh}. */
  COSH("cosh", List.of(ValueType.VECTOR), 0, ValueType.VECTOR, false),
  /** {@code count_over_time}. */
  COUNT_OVER_TIME("count_over_time", List.of(ValueType.MATRIX), 0, ValueType.VECTOR, false),
  /** {@code days_in_month}. */
  DAYS_IN_MONTH("days_in_month", List.of(ValueType.VECTOR), 1, ValueType.VECTOR, false),
  /** {@code day_of_month}. */
  DAY_OF_MONTH("day_of_month", List.of(ValueType.VECTOR), 1, ValueType.VECTOR, false),
  /** {@code day_of_week}. */
  DAY_OF_WEEK("day_of_week", List.of(ValueType.VECTOR), 1, ValueType.VECTOR, false),
  /** {@code day_of_year}. */
  DAY_OF_YEAR("day_of_year", List.of(ValueType.VECTOR), 1, ValueType.VECTOR, false),
  /** {@code deg}. */
  DEG("deg", List.of(ValueType.VECTOR), 0, ValueType.VECTOR, false),
  /** {@code delta}. */
  DELTA("delta", List.of(ValueType.MATRIX), 0, ValueType.VECTOR, false),
  /** {@code deriv}. */
  DERIV("deriv", List.of(ValueType.MATRIX), 0, ValueType.VECTOR, false),
  /** {@code double_exponential_smoothing} (experimental). */
  DOUBLE_EXPONENTIAL_SMOOTHING(
      "double_exponential_smoothing",
      List.of(ValueType.MATRIX, ValueType.SCALAR, ValueType.SCALAR),
      0,
      ValueType.VECTOR,
      true),
  /** {@code end} (experimental). */
  END("end", List.of(), 0, ValueType.SCALAR, true),
  /** {@code exp}. */
  EXP("exp", List.of(ValueType.VECTOR), 0, ValueType.VECTOR, false),
  /** {@code first_over_time} (experimental). */
  FIRST_OVER_TIME("first_over_time", List.of(ValueType.MATRIX), 0, ValueType.VECTOR, true),
  /** {@code floor}. */
  FLOOR("floor", List.of(ValueType.VECTOR), 0, ValueType.VECTOR, false),
  /** {@code histogram_avg}. */
  HISTOGRAM_AVG("histogram_avg", List.of(ValueType.VECTOR), 0, ValueType.VECTOR, false),
  /** {@code histogram_count}. */
  HISTOGRAM_COUNT("histogram_count", List.of(ValueType.VECTOR), 0, ValueType.VECTOR, false),
  /** {@code histogram_fraction}. */
  HISTOGRAM_FRACTION(
      "histogram_fraction",
      List.of(ValueType.SCALAR, ValueType.SCALAR, ValueType.VECTOR),
      0,
      ValueType.VECTOR,
      false),
  /** {@code histogram_quantile}. */
  HISTOGRAM_QUANTILE("histogram_quantile", List.of(ValueType.SCALAR, ValueType.VECTOR), 0, ValueType.VECTOR, false),
  /** {@code histogram_quantiles} (experimental). */
  HISTOGRAM_QUANTILES(
      "histogram_quantiles",
      List.of(ValueType.VECTOR, ValueType.STRING, ValueType.SCALAR, ValueType.SCALAR),
      9,
      ValueType.VECTOR,
      true),
  /** {@code histogram_stddev}. */
  HISTOGRAM_STDDEV("histogram_stddev", List.of(ValueType.VECTOR), 0, ValueType.VECTOR, false),
  /** {@code histogram_stdvar}. */
  HISTOGRAM_STDVAR("histogram_stdvar", List.of(ValueType.VECTOR), 0, ValueType.VECTOR, false),
  /** {@code histogram_sum}. */
  HISTOGRAM_SUM("histogram_sum", List.of(ValueType.VECTOR), 0, ValueType.VECTOR, false),
  /** {@code hour}. */
  HOUR("hour", List.of(ValueType.VECTOR), 1, ValueType.VECTOR, false),
  /** {@code idelta}. */
  IDELTA("idelta", List.of(ValueType.MATRIX), 0, ValueType.VECTOR, false),
  /** {@code increase}. */
  INCREASE("increase", List.of(ValueType.MATRIX), 0, ValueType.VECTOR, false),
  /** {@code info} (experimental). */
  INFO("info", List.of(ValueType.VECTOR, ValueType.VECTOR), 1, ValueType.VECTOR, true),
  /** {@code integral} (experimental). */
  INTEGRAL("integral", List.of(ValueType.MATRIX, ValueType.SCALAR), 1, ValueType.VECTOR, true),
  /** {@code irate}. */
  IRATE("irate", List.of(ValueType.MATRIX), 0, ValueType.VECTOR, false),
  /** {@code label_join}. */
  LABEL_JOIN(
      "label_join",
      List.of(ValueType.VECTOR, ValueType.STRING, ValueType.STRING, ValueType.STRING),
      -1,
      ValueType.VECTOR,
      false),
  /** {@code label_replace}. */
  LABEL_REPLACE(
      "label_replace",
      List.of(ValueType.VECTOR, ValueType.STRING, ValueType.STRING, ValueType.STRING, ValueType.STRING),
      0,
      ValueType.VECTOR,
      false),
  /** {@code last_over_time}. */
  LAST_OVER_TIME("last_over_time", List.of(ValueType.MATRIX), 0, ValueType.VECTOR, false),
  /** {@code ln}. */
  LN("ln", List.of(ValueType.VECTOR), 0, ValueType.VECTOR, false),
  /** {@code log10}. */
  LOG10("log10", List.of(ValueType.VECTOR), 0, ValueType.VECTOR, false),
  /** {@code log2}. */
  LOG2("log2", List.of(ValueType.VECTOR), 0, ValueType.VECTOR, false),
  /** {@code mad_over_time} (experimental). */
  MAD_OVER_TIME("mad_over_time", List.of(ValueType.MATRIX), 0, ValueType.VECTOR, true),
  /** {@code max_of} (experimental). */
  MAX_OF("max_of", List.of(ValueType.SCALAR, ValueType.SCALAR), 0, ValueType.SCALAR, true),
  /** {@code min_of} (experimental). */
  MIN_OF("min_of", List.of(ValueType.SCALAR, ValueType.SCALAR), 0, ValueType.SCALAR, true),
  /** {@code max_over_time}. */
  MAX_OVER_TIME("max_over_time", List.of(ValueType.MATRIX), 0, ValueType.VECTOR, false),
  /** {@code min_over_time}. */
  MIN_OVER_TIME("min_over_time", List.of(ValueType.MATRIX), 0, ValueType.VECTOR, false),
  /** {@code minute}. */
  MINUTE("minute", List.of(ValueType.VECTOR), 1, ValueType.VECTOR, false),
  /** {@code month}. */
  MONTH("month", List.of(ValueType.VECTOR), 1, ValueType.VECTOR, false),
  /** {@code pi}. */
  PI("pi", List.of(), 0, ValueType.SCALAR, false),
  /** {@code predict_linear}. */
  PREDICT_LINEAR("predict_linear", List.of(ValueType.MATRIX, ValueType.SCALAR), 0, ValueType.VECTOR, false),
  /** {@code present_over_time}. */
  PRESENT_OVER_TIME("present_over_time", List.of(ValueType.MATRIX), 0, ValueType.VECTOR, false),
  /** {@code quantile_over_time}. */
  QUANTILE_OVER_TIME("quantile_over_time", List.of(ValueType.SCALAR, ValueType.MATRIX), 0, ValueType.VECTOR, false),
  /** {@code rad}. */
  RAD("rad", List.of(ValueType.VECTOR), 0, ValueType.VECTOR, false),
  /** {@code range} (experimental). */
  RANGE("range", List.of(), 0, ValueType.SCALAR, true),
  /** {@code rate}. */
  RATE("rate", List.of(ValueType.MATRIX), 0, ValueType.VECTOR, false),
  /** {@code resets}. */
  RESETS("resets", List.of(ValueType.MATRIX), 0, ValueType.VECTOR, false),
  /** {@code round}. */
  ROUND("round", List.of(ValueType.VECTOR, ValueType.SCALAR), 1, ValueType.VECTOR, false),
  /** {@code scalar}. */
  SCALAR("scalar", List.of(ValueType.VECTOR), 0, ValueType.SCALAR, false),
  /** {@code sgn}. */
  SGN("sgn", List.of(ValueType.VECTOR), 0, ValueType.VECTOR, false),
  /** {@code sin}. */
  SIN("sin", List.of(ValueType.VECTOR), 0, ValueType.VECTOR, false),
  /** {@code sinh}. */
  SINH("sinh", List.of(ValueType.VECTOR), 0, ValueType.VECTOR, false),
  /** {@code sort}. */
  SORT("sort", List.of(ValueType.VECTOR), 0, ValueType.VECTOR, false),
  /** {@code sort_by_label} (experimental). */
  SORT_BY_LABEL("sort_by_label", List.of(ValueType.VECTOR, ValueType.STRING), -1, ValueType.VECTOR, true),
  /** {@code sort_by_label_desc} (experimental). */
  SORT_BY_LABEL_DESC("sort_by_label_desc", List.of(ValueType.VECTOR, ValueType.STRING), -1, ValueType.VECTOR, true),
  /** {@code sort_desc}. */
  SORT_DESC("sort_desc", List.of(ValueType.VECTOR), 0, ValueType.VECTOR, false),
  /** {@code sqrt}. */
  SQRT("sqrt", List.of(ValueType.VECTOR), 0, ValueType.VECTOR, false),
  /** {@code start} (experimental). */
  START("start", List.of(), 0, ValueType.SCALAR, true),
  /** {@code start_timestamp} (experimental). */
  START_TIMESTAMP("start_timestamp", List.of(ValueType.VECTOR), 0, ValueType.VECTOR, true),
  /** {@code stddev_over_time}. */
  STDDEV_OVER_TIME("stddev_over_time", List.of(ValueType.MATRIX), 0, ValueType.VECTOR, false),
  /** {@code stdvar_over_time}. */
  STDVAR_OVER_TIME("stdvar_over_time", List.of(ValueType.MATRIX), 0, ValueType.VECTOR, false),
  /** {@code step} (experimental). */
  STEP("step", List.of(), 0, ValueType.SCALAR, true),
  /** {@code sum_over_time}. */
  SUM_OVER_TIME("sum_over_time", List.of(ValueType.MATRIX), 0, ValueType.VECTOR, false),
  /** {@code tan}. */
  TAN("tan", List.of(ValueType.VECTOR), 0, ValueType.VECTOR, false),
  /** {@code tanh}. */
  TANH("tanh", List.of(ValueType.VECTOR), 0, ValueType.VECTOR, false),
  /** {@code time}. */
  TIME("time", List.of(), 0, ValueType.SCALAR, false),
  /** {@code timestamp}. */
  TIMESTAMP("timestamp", List.of(ValueType.VECTOR), 0, ValueType.VECTOR, false),
  /** {@code ts_of_first_over_time} (experimental). */
  TS_OF_FIRST_OVER_TIME("ts_of_first_over_time", List.of(ValueType.MATRIX), 0, ValueType.VECTOR, true),
  /** {@code ts_of_last_over_time} (experimental). */
  TS_OF_LAST_OVER_TIME("ts_of_last_over_time", List.of(ValueType.MATRIX), 0, ValueType.VECTOR, true),
  /** {@code ts_of_max_over_time} (experimental). */
  TS_OF_MAX_OVER_TIME("ts_of_max_over_time", List.of(ValueType.MATRIX), 0, ValueType.VECTOR, true),
  /** {@code ts_of_min_over_time} (experimental). */
  TS_OF_MIN_OVER_TIME("ts_of_min_over_time", List.of(ValueType.MATRIX), 0, ValueType.VECTOR, true),
  /** {@code vector}. */
  VECTOR("vector", List.of(ValueType.SCALAR), 0, ValueType.VECTOR, false),
  /** {@code year}. */
  YEAR("year", List.of(ValueType.VECTOR), 1, ValueType.VECTOR, false);

  private static final Map<String, Function> BY_NAME = new HashMap<>();

  static {
    for (Function f : values()) {
      BY_NAME.put(f.functionName, f);
    }
    // The Prometheus 2.x name, renamed in 3.0; Grafana dashboards still use it.
    BY_NAME.put("holt_winters", DOUBLE_EXPONENTIAL_SMOOTHING);
  }

  private final String functionName;
  private final List<ValueType> argTypes;
  private final int variadic;
  private final ValueType returnType;
  private final boolean experimental;

  Function(String functionName, List<ValueType> argTypes, int variadic, ValueType returnType, boolean experimental) {
    this.functionName = functionName;
    this.argTypes = argTypes;
    this.variadic = variadic;
    this.returnType = returnType;
    this.experimental = experimental;
  }

  /**
   * The function with this name (case-sensitive, as in Prometheus), including the alias {@code holt_winters}.
   *
   * @return the function, or {@code null} when there is none
   */
  public static Function fromName(String name) {
    return BY_NAME.get(name);
  }

  /** The canonical PromQL name, e.g. {@code histogram_quantile}. */
  public String functionName() {
    return functionName;
  }

  /**
   * The argument types in order. When {@link #variadic()} is not {@code 0} the last one is optional and repeats: a
   * call has between {@code argTypes().size() - 1} and {@code argTypes().size() - 1 + variadic()} arguments (no upper
   * bound for {@code -1}), and arguments past the list have the last type.
   */
  public List<ValueType> argTypes() {
    return argTypes;
  }

  /**
   * {@code 0} for a fixed arity; {@code n > 0} when the last argument may be left out or repeated up to {@code n}
   * times in all; {@code -1} when it may be repeated without limit (see {@link #argTypes()}).
   */
  public int variadic() {
    return variadic;
  }

  /** The fewest arguments a call may have. */
  public int minArgs() {
    return variadic == 0 ? argTypes.size() : argTypes.size() - 1;
  }

  /** The most arguments a call may have, {@link Integer#MAX_VALUE} when unbounded. */
  public int maxArgs() {
    if (variadic == 0) {
      return argTypes.size();
    }
    return variadic < 0 ? Integer.MAX_VALUE : argTypes.size() - 1 + variadic;
  }

  /** The type argument {@code index} must have. */
  public ValueType argType(int index) {
    return argTypes.get(Math.min(index, argTypes.size() - 1));
  }

  /** The type of the function's result. */
  public ValueType returnType() {
    return returnType;
  }

  /** True when Prometheus puts the function behind {@code --enable-feature=promql-experimental-functions}. */
  public boolean isExperimental() {
    return experimental;
  }
}
