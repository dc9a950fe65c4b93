package dev.orrery.promql.exec;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.orrery.core.io.GoFloat;
import dev.orrery.core.labels.Labels;
import dev.orrery.core.labels.LabelsBuilder;
import dev.orrery.core.labels.MatchType;
import dev.orrery.core.labels.Matcher;
import dev.orrery.promql.ast.Call;
import dev.orrery.promql.ast.Expr;
import dev.orrery.promql.ast.Function;
import dev.orrery.promql.ast.MatrixSelector;
import dev.orrery.promql.ast.NumberLiteral;
import dev.orrery.promql.ast.ParenExpr;
import dev.orrery.promql.ast.StepInvariantExpr;
import dev.orrery.promql.ast.StringLiteral;
import dev.orrery.promql.ast.SubqueryExpr;
import dev.orrery.promql.ast.UnaryExpr;
import dev.orrery.promql.ast.UnaryOp;
import dev.orrery.promql.ast.VectorSelector;
import dev.orrery.promql.engine.QueryException;
import dev.orrery.promql.exec.function.AbsentOperator;
import dev.orrery.promql.exec.function.ElementFunction;
import dev.orrery.promql.exec.function.ElementFunctionOperator;
import dev.orrery.promql.exec.function.HistogramQuantileOperator;
import dev.orrery.promql.exec.function.HistogramToFloatOperator;
import dev.orrery.promql.exec.function.RelabelOperator;
import dev.orrery.promql.exec.function.ScalarOfVectorOperator;
import dev.orrery.promql.exec.function.SortOperator;
import dev.orrery.promql.exec.function.StepScalarOperator;
import dev.orrery.promql.exec.function.StepTimestampOperator;
import dev.orrery.promql.exec.function.VectorOfScalarOperator;
import dev.orrery.promql.exec.scan.RangeFunctionOperator;
import dev.orrery.promql.exec.scan.RangeSource;
import dev.orrery.promql.exec.scan.VectorSelectorOperator;
import dev.orrery.promql.function.ExtendedRangeKernels;
import dev.orrery.promql.function.MathFunctions.DateField;
import dev.orrery.promql.function.MathFunctions;
import dev.orrery.promql.function.OverTimeKernels;
import dev.orrery.promql.function.RangeKernel;
import dev.orrery.promql.function.RateKernels;
import dev.orrery.promql.function.RegressionKernels;
import dev.orrery.promql.histogram.HistogramStats;
import java.util.ArrayList;
import java.util.List;

/** Builds the operator of each PromQL function call. */
final class FunctionBuilder {
  private final QueryContext ctx;
  private final OperatorBuilder builder;

  FunctionBuilder(QueryContext ctx, OperatorBuilder builder) {
    this.ctx = ctx;
    this.builder = builder;
  }

  private static Expr unwrap(Expr e) {
    while (e instanceof ParenExpr || e instanceof StepInvariantExpr) {
      e = e instanceof ParenExpr p ? p.expr() : ((StepInvariantExpr) e).expr();
    }
    return e;
  }

  private static String stringArg(Expr e) {
    Expr u = unwrap(e);
    if (u instanceof StringLiteral s) {
      return s.value();
    }
    throw QueryException.execution("expected a string literal, got " + e);
  }

  private static double numberArg(Expr e) {
    Expr u = unwrap(e);
    if (u instanceof NumberLiteral n) {
      return n.value();
    }
    if (u instanceof UnaryExpr un && unwrap(un.expr()) instanceof NumberLiteral n) {
      return un.op() == UnaryOp.SUB ? -n.value() : n.value();
    }
    throw QueryException.execution("expected a number literal, got " + e);
  }

  private List<VectorOperator> scalars(List<Expr> args, StepGrid grid) {
    List<VectorOperator> out = new ArrayList<>();
    for (Expr a : args) {
      out.add(builder.build(a, grid));
    }
    return out;
  }

  VectorOperator build(Call c, StepGrid grid) {
    Function f = c.func();
    List<Expr> args = c.args();
    String name = f.functionName();
    return switch (f) {
      case RATE -> range(c, grid, RateKernels.RATE, true, List.of());
      case INCREASE -> range(c, grid, RateKernels.INCREASE, true, List.of());
      case DELTA -> range(c, grid, RateKernels.DELTA, true, List.of());
      case IRATE -> range(c, grid, RateKernels.IRATE, true, List.of());
      case IDELTA -> range(c, grid, RateKernels.IDELTA, true, List.of());
      case AVG_OVER_TIME -> range(c, grid, OverTimeKernels.AVG, true, List.of());
      case SUM_OVER_TIME -> range(c, grid, OverTimeKernels.SUM, true, List.of());
      case COUNT_OVER_TIME -> range(c, grid, OverTimeKernels.COUNT, true, List.of());
      case MIN_OVER_TIME -> range(c, grid, OverTimeKernels.MIN, true, List.of());
      case MAX_OVER_TIME -> range(c, grid, OverTimeKernels.MAX, true, List.of());
      case STDDEV_OVER_TIME -> range(c, grid, OverTimeKernels.STDDEV, true, List.of());
      case STDVAR_OVER_TIME -> range(c, grid, OverTimeKernels.STDVAR, true, List.of());
      case LAST_OVER_TIME -> range(c, grid, OverTimeKernels.LAST, false, List.of());
      case FIRST_OVER_TIME -> range(c, grid, OverTimeKernels.FIRST, false, List.of());
      case PRESENT_OVER_TIME -> range(c, grid, OverTimeKernels.PRESENT, true, List.of());
      case MAD_OVER_TIME -> range(c, grid, OverTimeKernels.MAD, true, List.of());
      case TS_OF_LAST_OVER_TIME -> range(c, grid, OverTimeKernels.TS_OF_LAST, true, List.of());
      case TS_OF_FIRST_OVER_TIME -> range(c, grid, OverTimeKernels.TS_OF_FIRST, true, List.of());
      case TS_OF_MAX_OVER_TIME -> range(c, grid, OverTimeKernels.TS_OF_MAX, true, List.of());
      case TS_OF_MIN_OVER_TIME -> range(c, grid, OverTimeKernels.TS_OF_MIN, true, List.of());
      case CHANGES -> range(c, grid, OverTimeKernels.CHANGES, true, List.of());
      case RESETS -> range(c, grid, OverTimeKernels.RESETS, true, List.of());
      case DERIV -> range(c, grid, RegressionKernels.DERIV, true, List.of());
      case PREDICT_LINEAR -> range(c, grid, RegressionKernels.PREDICT_LINEAR, true, List.of(args.get(1)));
      case QUANTILE_OVER_TIME -> {
        int qPos = args.get(0).positionRange().start();
        RangeKernel k = (w, out) -> {
          double q = w.params[0];
          if (Double.isNaN(q) || q < 0 || q > 1) {
            w.annotations.warn("quantile value should be between 0 and 1, got " + GoFloat.formatG(q), qPos);
          }
          return OverTimeKernels.QUANTILE.apply(w, out);
        };
        yield rangeWithArg(c, grid, k, 1, List.of(args.get(0)));
      }
      case DOUBLE_EXPONENTIAL_SMOOTHING -> {
        RangeKernel k = (w, out) -> {
          double sf = w.params[0];
          double tf = w.params[1];
          if (sf <= 0 || sf >= 1) {
            throw QueryException.execution("invalid smoothing factor. Expected: 0 < sf < 1, got: "
                + String.format(java.util.Locale.ROOT, "%f", sf));
          }
          if (tf <= 0 || tf >= 1) {
            throw QueryException.execution("invalid trend factor. Expected: 0 < tf < 1, got: "
                + String.format(java.util.Locale.ROOT, "%f", tf));
          }
          return RegressionKernels.DOUBLE_EXPONENTIAL_SMOOTHING.apply(w, out);
        };
        yield range(c, grid, k, true, List.of(args.get(1), args.get(2)));
      }
      case ABSENT_OVER_TIME -> {
        RangeSource src = builder.rangeSource(args.get(0), grid, name);
        VectorOperator present = new RangeFunctionOperator(ctx, grid, src, OverTimeKernels.PRESENT, name, true,
            List.of(), args.get(0).positionRange().start());
        yield new AbsentOperator(present, absentLabels(args.get(0)));
      }
      case ABSENT -> new AbsentOperator(builder.build(args.get(0), grid), absentLabels(args.get(0)));
      case ABS -> element(c, grid, (v, a, b, t) -> Math.abs(v));
      case CEIL -> element(c, grid, (v, a, b, t) -> Math.ceil(v));
      case FLOOR -> element(c, grid, (v, a, b, t) -> Math.floor(v));
      case EXP -> element(c, grid, (v, a, b, t) -> Math.exp(v));
      case SQRT -> element(c, grid, (v, a, b, t) -> Math.sqrt(v));
      case LN -> element(c, grid, (v, a, b, t) -> Math.log(v));
      case LOG2 -> element(c, grid, (v, a, b, t) -> MathFunctions.log2(v));
      case LOG10 -> element(c, grid, (v, a, b, t) -> Math.log10(v));
      case SIN -> element(c, grid, (v, a, b, t) -> Math.sin(v));
      case COS -> element(c, grid, (v, a, b, t) -> Math.cos(v));
      case TAN -> element(c, grid, (v, a, b, t) -> Math.tan(v));
      case ASIN -> element(c, grid, (v, a, b, t) -> Math.asin(v));
      case ACOS -> element(c, grid, (v, a, b, t) -> Math.acos(v));
      case ATAN -> element(c, grid, (v, a, b, t) -> Math.atan(v));
      case SINH -> element(c, grid, (v, a, b, t) -> Math.sinh(v));
      case COSH -> element(c, grid, (v, a, b, t) -> Math.cosh(v));
      case TANH -> element(c, grid, (v, a, b, t) -> Math.tanh(v));
      case ASINH -> element(c, grid, (v, a, b, t) -> MathFunctions.asinh(v));
      case ACOSH -> element(c, grid, (v, a, b, t) -> MathFunctions.acosh(v));
      case ATANH -> element(c, grid, (v, a, b, t) -> MathFunctions.atanh(v));
      case DEG -> element(c, grid, (v, a, b, t) -> v * 180 / Math.PI);
      case RAD -> element(c, grid, (v, a, b, t) -> v * Math.PI / 180);
      case SGN -> element(c, grid, (v, a, b, t) -> MathFunctions.sgn(v));
      case ROUND -> args.size() == 1 ? element(c, grid, (v, a, b, t) -> MathFunctions.round(v, 1))
          : new ElementFunctionOperator(ctx, builder.build(args.get(0), grid),
              (v, a, b, t) -> MathFunctions.round(v, a), scalars(args.subList(1, 2), grid), name);
      case CLAMP -> new ElementFunctionOperator(ctx, builder.build(args.get(0), grid),
          (v, a, b, t) -> Math.max(a, Math.min(b, v)), scalars(args.subList(1, 3), grid), name).emptyWhenArgsCross();
      case CLAMP_MIN -> new ElementFunctionOperator(ctx, builder.build(args.get(0), grid),
          (v, a, b, t) -> Math.max(a, v), scalars(args.subList(1, 2), grid), name);
      case CLAMP_MAX -> new ElementFunctionOperator(ctx, builder.build(args.get(0), grid),
          (v, a, b, t) -> Math.min(a, v), scalars(args.subList(1, 2), grid), name);
      case DAYS_IN_MONTH -> date(c, grid, DateField.DAYS_IN_MONTH);
      case DAY_OF_MONTH -> date(c, grid, DateField.DAY_OF_MONTH);
      case DAY_OF_WEEK -> date(c, grid, DateField.DAY_OF_WEEK);
      case DAY_OF_YEAR -> date(c, grid, DateField.DAY_OF_YEAR);
      case HOUR -> date(c, grid, DateField.HOUR);
      case MINUTE -> date(c, grid, DateField.MINUTE);
      case MONTH -> date(c, grid, DateField.MONTH);
      case YEAR -> date(c, grid, DateField.YEAR);
      case HISTOGRAM_COUNT -> new HistogramToFloatOperator(builder.build(args.get(0), grid), h -> h.count(), name);
      case HISTOGRAM_SUM -> new HistogramToFloatOperator(builder.build(args.get(0), grid), h -> h.sum(), name);
      case HISTOGRAM_AVG -> new HistogramToFloatOperator(builder.build(args.get(0), grid),
          h -> h.sum() / h.count(), name);
      case HISTOGRAM_STDDEV -> new HistogramToFloatOperator(builder.build(args.get(0), grid),
          h -> Math.sqrt(HistogramStats.variance(h)), name);
      case HISTOGRAM_STDVAR -> new HistogramToFloatOperator(builder.build(args.get(0), grid),
          HistogramStats::variance, name);
      case HISTOGRAM_QUANTILE -> new HistogramQuantileOperator(ctx, builder.build(args.get(1), grid),
          HistogramQuantileOperator.Mode.QUANTILE, scalars(args.subList(0, 1), grid), null, null,
          args.get(0).positionRange().start(), args.get(1).positionRange().start());
      case HISTOGRAM_QUANTILES -> {
        List<Expr> qs = args.subList(2, args.size());
        double[] values = new double[qs.size()];
        for (int i = 0; i < values.length; i++) {
          values[i] = numberArg(qs.get(i));
        }
        yield new HistogramQuantileOperator(ctx, builder.build(args.get(0), grid),
            HistogramQuantileOperator.Mode.QUANTILES, scalars(qs, grid), stringArg(args.get(1)), values,
            args.get(0).positionRange().start(), args.get(0).positionRange().start());
      }
      case HISTOGRAM_FRACTION -> new HistogramQuantileOperator(ctx, builder.build(args.get(2), grid),
          HistogramQuantileOperator.Mode.FRACTION, scalars(args.subList(0, 2), grid), null, null,
          args.get(0).positionRange().start(), args.get(2).positionRange().start());
      case LABEL_REPLACE -> labelReplace(c, grid);
      case LABEL_JOIN -> labelJoin(c, grid);
      case SORT -> sort(c, grid, dev.orrery.promql.exec.function.SortOperator.Kind.ASC);
      case SORT_DESC -> sort(c, grid, SortOperator.Kind.DESC);
      case SORT_BY_LABEL -> sort(c, grid, SortOperator.Kind.BY_LABEL);
      case SORT_BY_LABEL_DESC -> sort(c, grid, SortOperator.Kind.BY_LABEL_DESC);
      case SCALAR -> new ScalarOfVectorOperator(builder.build(args.get(0), grid));
      case VECTOR -> new VectorOfScalarOperator(builder.build(args.get(0), grid));
      case TIME -> new StepScalarOperator(grid, t -> t / 1000.0, name);
      case PI -> new StepScalarOperator(grid, t -> Math.PI, name);
      case TIMESTAMP -> {
        Expr a = unwrap(args.get(0));
        if (a instanceof VectorSelector vs) {
          yield new VectorSelectorOperator(ctx, grid, vs.matchers(), builder.offsetMillis(vs), vs.timestampMillis(),
              true, false, vs::toString);
        }
        yield new StepTimestampOperator(builder.build(args.get(0), grid));
      }
      case MAX_OF -> new ElementFunctionOperator(ctx, builder.build(args.get(0), grid),
          (v, a, b, t) -> Math.max(v, a), scalars(args.subList(1, 2), grid), name);
      case MIN_OF -> new ElementFunctionOperator(ctx, builder.build(args.get(0), grid),
          (v, a, b, t) -> Math.min(v, a), scalars(args.subList(1, 2), grid), name);
      case START -> new StepScalarOperator(grid, t -> builder.queryStartMillis() / 1000.0, name);
      case END -> new StepScalarOperator(grid, t -> builder.queryEndMillis() / 1000.0, name);
      case RANGE -> new StepScalarOperator(grid, t -> (builder.queryEndMillis() - builder.queryStartMillis()) / 1000.0,
          name);
      case STEP -> new StepScalarOperator(grid, t -> builder.queryStepMillis() / 1000.0, name);
      case INFO -> info(c, grid);
      case START_TIMESTAMP -> {
        Expr a = unwrap(args.get(0));
        if (a instanceof VectorSelector vs) {
          yield new VectorSelectorOperator(ctx, grid, vs.matchers(), builder.offsetMillis(vs), vs.timestampMillis(),
              true, false, vs::toString).emittingStartTimestamps();
        }
        // Start timestamps do not survive expressions: only a selector has them.
        yield new dev.orrery.promql.exec.function.StepFilterOperator(builder.build(args.get(0), grid));
      }
      case INTEGRAL -> throw QueryException.execution(
          "function " + name + "() is not supported by this engine yet");
    };
  }

  private VectorOperator info(Call c, StepGrid grid) {
    List<Matcher> selector = c.args().size() > 1 && unwrap(c.args().get(1)) instanceof VectorSelector vs
        ? vs.matchers() : List.of();
    List<Matcher> names = new ArrayList<>();
    List<Matcher> data = new ArrayList<>();
    for (Matcher m : selector) {
      (m.name().equals(Labels.METRIC_NAME) ? names : data).add(m);
    }
    if (names.isEmpty()) {
      names.add(Matcher.equal(Labels.METRIC_NAME, "target_info"));
    } else if (names.stream().allMatch(m -> m.type().isNegative())) {
      // Negative name matchers only narrow the info metrics, which are those named *_info.
      names.add(Matcher.regex(Labels.METRIC_NAME, ".+_info"));
    }
    List<Matcher> all = new ArrayList<>(names);
    all.addAll(data);
    List<String> dataLabels = null;
    boolean fallBack = true;
    if (!data.isEmpty()) {
      dataLabels = new ArrayList<>();
      for (Matcher m : data) {
        dataLabels.add(m.name());
        fallBack &= m.matchesEmpty();
      }
    }
    Expr arg = c.args().get(0);
    return new dev.orrery.promql.exec.scan.InfoOperator(ctx, grid, builder.build(arg, grid), all, names, dataLabels,
        fallBack, InfoReferenceTime.of(arg, builder));
  }

  private VectorOperator sort(Call c, StepGrid grid, SortOperator.Kind kind) {
    List<String> labels = new ArrayList<>();
    for (Expr a : c.args().subList(1, c.args().size())) {
      labels.add(stringArg(a));
    }
    return new SortOperator(builder.build(c.args().get(0), grid), kind, labels);
  }

  private VectorOperator element(Call c, StepGrid grid, ElementFunction fn) {
    return new ElementFunctionOperator(ctx, builder.build(c.args().get(0), grid), fn, List.of(),
        c.func().functionName());
  }

  private VectorOperator date(Call c, StepGrid grid, DateField field) {
    VectorOperator arg = c.args().isEmpty()
        ? new VectorOfScalarOperator(new StepScalarOperator(grid, t -> t / 1000.0, "time"))
        : builder.build(c.args().get(0), grid);
    return new ElementFunctionOperator(ctx, arg, (v, a, b, t) -> MathFunctions.dateField(v, field), List.of(),
        c.func().functionName());
  }

  private VectorOperator range(Call c, StepGrid grid, RangeKernel kernel, boolean dropName, List<Expr> params) {
    return rangeWithArg(c, grid, kernel, 0, params, dropName);
  }

  private VectorOperator rangeWithArg(Call c, StepGrid grid, RangeKernel kernel, int argIndex, List<Expr> params) {
    return rangeWithArg(c, grid, kernel, argIndex, params, true);
  }

  private VectorOperator rangeWithArg(Call c, StepGrid grid, RangeKernel kernel, int argIndex, List<Expr> params,
      boolean dropName) {
    Expr arg = c.args().get(argIndex);
    RangeKernel extended = extendedKernel(c.func(), unwrap(arg));
    if (extended != null) {
      kernel = extended;
    }
    RangeSource src = builder.rangeSource(arg, grid, c.func().functionName());
    return new RangeFunctionOperator(ctx, grid, src, kernel, c.func().functionName(), dropName,
        scalars(params, grid), arg.positionRange().start());
  }

  /** The kernel for the anchored/smoothed modifiers, null without them; a modifier the function rejects fails. */
  private static RangeKernel extendedKernel(Function f, Expr arg) {
    if (!(arg instanceof MatrixSelector m)) {
      return null;
    }
    VectorSelector vs = m.vectorSelector();
    if (vs.anchored()) {
      return switch (f) {
        case RATE -> ExtendedRangeKernels.anchored(true, true);
        case INCREASE -> ExtendedRangeKernels.anchored(true, false);
        case DELTA -> ExtendedRangeKernels.anchored(false, false);
        case CHANGES -> ExtendedRangeKernels.anchoredTransitions(false);
        case RESETS -> ExtendedRangeKernels.anchoredTransitions(true);
        default -> throw QueryException.execution("anchored modifier can only be used with: changes, delta, "
            + "increase, rate, resets - not with " + f.functionName());
      };
    }
    if (vs.smoothed()) {
      return switch (f) {
        case RATE -> ExtendedRangeKernels.smoothed(true, true);
        case INCREASE -> ExtendedRangeKernels.smoothed(true, false);
        case DELTA -> ExtendedRangeKernels.smoothed(false, false);
        default -> throw QueryException.execution("smoothed modifier can only be used with: delta, increase, rate - "
            + "not with " + f.functionName());
      };
    }
    return null;
  }

  /** Prometheus' {@code createLabelsForAbsentFunction}. */
  private static Labels absentLabels(Expr arg) {
    Expr e = unwrap(arg);
    List<Matcher> matchers;
    if (e instanceof VectorSelector vs) {
      matchers = vs.matchers();
    } else if (e instanceof MatrixSelector ms) {
      matchers = ms.vectorSelector().matchers();
    } else if (e instanceof SubqueryExpr) {
      return Labels.empty();
    } else {
      return Labels.empty();
    }
    LabelsBuilder b = new LabelsBuilder();
    java.util.Set<String> has = new java.util.HashSet<>();
    for (Matcher m : matchers) {
      if (m.name().equals(Labels.METRIC_NAME)) {
        continue;
      }
      if (m.type() == MatchType.EQUAL && !has.contains(m.name())) {
        b.set(m.name(), m.value());
        has.add(m.name());
      } else {
        b.delete(m.name());
      }
    }
    return b.build();
  }

  private VectorOperator labelReplace(Call c, StepGrid grid) {
    List<Expr> args = c.args();
    String dst = stringArg(args.get(1));
    String replacement = stringArg(args.get(2));
    String src = stringArg(args.get(3));
    String regex = stringArg(args.get(4));
    Pattern p;
    try {
      p = Pattern.compile("^(?s:" + regex + ")$");
    } catch (PatternSyntaxException e) {
      throw QueryException.execution("invalid regular expression in label_replace(): " + regex);
    }
    if (!LabelNames.isValid(dst)) {
      throw QueryException.execution("invalid destination label name in label_replace(): " + dst);
    }
    return new RelabelOperator(builder.build(args.get(0), grid), s -> {
      String value = s.labels().get(src);
      com.google.re2j.Matcher m = p.matcher(value);
      if (!m.matches()) {
        return s;
      }
      String res = GoRegexExpand.expand(m, replacement);
      Labels out = s.labels().toBuilder().set(dst, res).build();
      boolean drop = dst.equals(Labels.METRIC_NAME) ? false : s.dropName();
      return new SeriesInfo(out, drop);
    }, "label_replace");
  }

  private VectorOperator labelJoin(Call c, StepGrid grid) {
    List<Expr> args = c.args();
    String dst = stringArg(args.get(1));
    String sep = stringArg(args.get(2));
    List<String> srcs = new ArrayList<>();
    for (Expr a : args.subList(3, args.size())) {
      String s = stringArg(a);
      if (!LabelNames.isValid(s)) {
        throw QueryException.execution("invalid source label name in label_join(): " + s);
      }
      srcs.add(s);
    }
    if (!LabelNames.isValid(dst)) {
      throw QueryException.execution("invalid destination label name in label_join(): " + dst);
    }
    return new RelabelOperator(builder.build(args.get(0), grid), s -> {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < srcs.size(); i++) {
        if (i > 0) {
          sb.append(sep);
        }
        sb.append(s.labels().get(srcs.get(i)));
      }
      Labels out = s.labels().toBuilder().set(dst, sb.toString()).build();
      boolean drop = dst.equals(Labels.METRIC_NAME) ? false : s.dropName();
      return new SeriesInfo(out, drop);
    }, "label_join");
  }
}
