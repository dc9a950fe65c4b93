package dev.orrery.promql.promqltest;

import dev.orrery.core.histogram.FloatHistogram;
import dev.orrery.core.histogram.Histogram;
import dev.orrery.core.histogram.HistogramArithmetic;
import dev.orrery.core.labels.Labels;
import dev.orrery.promql.engine.Annotations;
import dev.orrery.promql.engine.QueryResult;
import dev.orrery.promql.engine.Sample;
import dev.orrery.promql.engine.TimeSeries;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The checks of Prometheus' {@code promqltest} ({@code compareResult}, {@code checkAnnotations},
 * {@code checkExpectedFailure}), with its float comparison: {@code almost.Equal} with epsilon 1e-6, NaN equal to NaN.
 * Each check returns {@code null} when it passes, else the reason.
 */
final class ResultComparison {
  static final double DEFAULT_EPSILON = 0.000001;
  private static final double MIN_NORMAL = Double.longBitsToDouble(0x0010000000000000L);

  private ResultComparison() {}

  /** Prometheus' {@code util/almost.Equal}. */
  static boolean almostEqual(double a, double b, double epsilon) {
    if (Double.isNaN(a) && Double.isNaN(b)) {
      return true;
    }
    if (a == b) {
      return true;
    }
    double absSum = Math.abs(a) + Math.abs(b);
    double diff = Math.abs(a - b);
    if (a == 0 || b == 0 || absSum < MIN_NORMAL) {
      return diff < epsilon * MIN_NORMAL;
    }
    return diff / Math.min(absSum, Double.MAX_VALUE) < epsilon;
  }

  static String checkAnnotations(TestScript.Eval ev, String expr, Annotations annos) {
    List<String> warnings = annos.warnings(expr);
    List<String> infos = annos.infos(expr);
    if (ev.warn && warnings.isEmpty()) {
      return "expected warnings evaluating query \"" + expr + "\" but got none";
    }
    if (ev.info && infos.isEmpty()) {
      return "expected info annotations evaluating query \"" + expr + "\" but got none";
    }
    String r = validate(ev.expects(TestScript.ExpectType.WARN), warnings, "warn", expr, warnings, infos);
    if (r != null) {
      return r;
    }
    r = validate(ev.expects(TestScript.ExpectType.INFO), infos, "info", expr, warnings, infos);
    if (r != null) {
      return r;
    }
    if (ev.expects.containsKey(TestScript.ExpectType.NO_WARN) && !warnings.isEmpty()) {
      return "unexpected warning annotations evaluating query \"" + expr + "\": " + warnings + infos;
    }
    if (ev.expects.containsKey(TestScript.ExpectType.NO_INFO) && !infos.isEmpty()) {
      return "unexpected info annotations evaluating query \"" + expr + "\": " + warnings + infos;
    }
    return null;
  }

  private static String validate(List<TestScript.Expectation> expected, List<String> actual, String type, String expr,
      List<String> warnings, List<String> infos) {
    if (expected.isEmpty()) {
      return null;
    }
    if (actual.isEmpty()) {
      return "expected " + type + " annotations but none were found for query \"" + expr + "\"";
    }
    for (TestScript.Expectation e : expected) {
      if (actual.stream().noneMatch(e::matches)) {
        return "expected " + type + " annotation matching " + e + " but no matching annotation was found, found: "
            + warnings + infos;
      }
    }
    for (String a : actual) {
      if (expected.stream().noneMatch(e -> e.matches(a))) {
        return "unexpected " + type + " annotation \"" + a + "\" found";
      }
    }
    return null;
  }

  static String checkExpectedFailure(TestScript.Eval ev, String message) {
    if (ev.expectedFailMessage != null && !ev.expectedFailMessage.isEmpty()
        && !ev.expectedFailMessage.equals(message)) {
      return "expected error \"" + ev.expectedFailMessage + "\", but got: " + message;
    }
    if (ev.expectedFailRegexp != null && !ev.expectedFailRegexp.matcher(message).find()) {
      return "expected error matching pattern \"" + ev.expectedFailRegexp.pattern() + "\", but got: " + message;
    }
    List<TestScript.Expectation> fails = ev.expects(TestScript.ExpectType.FAIL);
    if (!fails.isEmpty() && !fails.get(0).matches(message)) {
      return "expected error matching " + fails.get(0) + ", but got: " + message;
    }
    return null;
  }

  static String compare(TestScript.Eval ev, QueryResult result) {
    return switch (result) {
      case QueryResult.Matrix m -> compareMatrix(ev, m);
      case QueryResult.Vector v -> compareVector(ev, v.samples());
      case QueryResult.Scalar s -> {
        if (!ev.expectScalar) {
          yield "expected vector or matrix result, but got scalar " + FloatText.of(s.value());
        }
        SequenceValue exp0 = ev.expectedScalar.values().get(0);
        if (exp0.histogram() != null) {
          yield "expected histogram but got scalar";
        }
        yield almostEqual(exp0.value(), s.value(), DEFAULT_EPSILON) ? null
            : "expected scalar " + FloatText.of(exp0.value()) + " but got " + FloatText.of(s.value());
      }
      case QueryResult.StringResult s -> ev.expectedString != null && ev.expectedString.equals(s.value()) ? null
          : "expected string \"" + ev.expectedString + "\" but got \"" + s.value() + "\"";
    };
  }

  private static String compareMatrix(TestScript.Eval ev, QueryResult.Matrix m) {
    if (ev.isOrdered()) {
      return "expected ordered result, but query returned a matrix";
    }
    if (ev.expectScalar) {
      return "expected scalar result, but got matrix";
    }
    String sorted = assertSorted(m.series());
    if (sorted != null) {
      return sorted;
    }
    Set<Labels> seen = new HashSet<>();
    for (TimeSeries s : m.series()) {
      TestScript.Expected exp = ev.expected.get(s.labels());
      if (exp == null) {
        return "unexpected metric " + s.labels() + " in result, has " + format(s);
      }
      seen.add(s.labels());
      List<Long> ft = new ArrayList<>();
      List<Double> fv = new ArrayList<>();
      List<Long> ht = new ArrayList<>();
      List<SequenceValue> hv = new ArrayList<>();
      for (int i = 0; i < exp.values().size(); i++) {
        long t = ev.startMillis + i * ev.stepMillis;
        if (t > ev.endMillis) {
          return "expected " + exp.values().size() + " points for " + s.labels()
              + ", but query time range cannot return this many points";
        }
        SequenceValue e = exp.values().get(i);
        if (e.histogram() != null) {
          ht.add(t);
          hv.add(e);
        } else if (!e.omitted()) {
          ft.add(t);
          fv.add(e.value());
        }
      }
      if (ft.size() != s.floatTimestamps().length || ht.size() != s.histogramTimestamps().length) {
        return "expected " + ft.size() + " float points and " + ht.size() + " histogram points for " + s.labels()
            + ", but got " + format(s);
      }
      for (int i = 0; i < ft.size(); i++) {
        if (ft.get(i) != s.floatTimestamps()[i]) {
          return "expected float value at index " + i + " for " + s.labels() + " to have timestamp " + ft.get(i)
              + ", but it had timestamp " + s.floatTimestamps()[i] + " (result has " + format(s) + ")";
        }
        if (!almostEqual(s.floatValues()[i], fv.get(i), DEFAULT_EPSILON)) {
          return "expected float value at index " + i + " (t=" + ft.get(i) + ") for " + s.labels() + " to be "
              + FloatText.of(fv.get(i)) + ", but got " + FloatText.of(s.floatValues()[i]) + " (result has "
              + format(s) + ")";
        }
      }
      for (int i = 0; i < ht.size(); i++) {
        if (ht.get(i) != s.histogramTimestamps()[i]) {
          return "expected histogram value at index " + i + " for " + s.labels() + " to have timestamp "
              + ht.get(i) + ", but it had timestamp " + s.histogramTimestamps()[i];
        }
        SequenceValue e = hv.get(i);
        if (!histogramsMatch(e.histogram(), s.histograms()[i], e.hintSet())) {
          return "expected histogram value at index " + i + " (t=" + ht.get(i) + ") for " + s.labels() + " to be "
              + HistogramText.of(e.histogram()) + ", but got " + HistogramText.of(s.histograms()[i]);
        }
      }
    }
    for (Labels l : ev.expected.keySet()) {
      if (!seen.contains(l)) {
        return "expected metric " + l + " not found";
      }
    }
    return null;
  }

  private static String compareVector(TestScript.Eval ev, List<Sample> samples) {
    if (ev.expectScalar) {
      return "expected scalar result, but got vector " + samples;
    }
    Set<Labels> seen = new HashSet<>();
    for (int pos = 0; pos < samples.size(); pos++) {
      Sample v = samples.get(pos);
      TestScript.Expected exp = ev.expected.get(v.labels());
      if (exp == null) {
        return "unexpected metric " + v.labels() + " in result, has value "
            + (v.isHistogram() ? HistogramText.of(v.histogram()) : FloatText.of(v.value()));
      }
      if (ev.isOrdered() && exp.position() != pos + 1) {
        return "expected metric " + v.labels() + " with " + exp.values() + " at position " + exp.position()
            + " but was at " + (pos + 1);
      }
      SequenceValue exp0 = exp.values().get(0);
      if (exp0.histogram() == null && v.isHistogram()) {
        return "expected float value " + exp0 + " for " + v.labels() + " but got histogram "
            + HistogramText.of(v.histogram());
      }
      if (exp0.histogram() != null && !v.isHistogram()) {
        return "expected histogram " + exp0 + " for " + v.labels() + " but got float value "
            + FloatText.of(v.value());
      }
      if (exp0.histogram() != null && !histogramsMatch(exp0.histogram(), v.histogram(), exp0.hintSet())) {
        return "expected " + exp0 + " for " + v.labels() + " but got " + HistogramText.of(v.histogram());
      }
      if (exp0.histogram() == null && !almostEqual(exp0.value(), v.value(), DEFAULT_EPSILON)) {
        return "expected " + exp0 + " for " + v.labels() + " but got " + FloatText.of(v.value());
      }
      seen.add(v.labels());
    }
    for (TestScript.Expected e : ev.expected.values()) {
      if (!seen.contains(e.labels())) {
        return "expected metric " + e.labels() + " with " + e.values() + " not found";
      }
    }
    return null;
  }

  static String assertSorted(List<TimeSeries> series) {
    for (int i = 0; i + 1 < series.size(); i++) {
      if (series.get(i).labels().compareTo(series.get(i + 1).labels()) > 0) {
        return "matrix results should always be sorted by labels, but matrix is not sorted: series at index "
            + (i + 1) + " with labels " + series.get(i + 1).labels() + " sorts before series at index " + i
            + " with labels " + series.get(i).labels();
      }
    }
    return null;
  }

  /** Prometheus' {@code compareNativeHistogram} applied to both sides after {@code Compact(0)}. */
  static boolean histogramsMatch(FloatHistogram expRaw, FloatHistogram curRaw, boolean hintSet) {
    if (expRaw == null || curRaw == null) {
      return false;
    }
    FloatHistogram exp = HistogramArithmetic.compact(expRaw);
    FloatHistogram cur = HistogramArithmetic.compact(curRaw);
    if (exp.schema() != cur.schema() || !almostEqual(exp.count(), cur.count(), DEFAULT_EPSILON)
        || !almostEqual(exp.sum(), cur.sum(), DEFAULT_EPSILON)) {
      return false;
    }
    if (exp.schema() == Histogram.CUSTOM_BUCKETS_SCHEMA && !Arrays.equals(exp.customValues(), cur.customValues())) {
      return false;
    }
    if (exp.zeroThreshold() != cur.zeroThreshold() || !almostEqual(exp.zeroCount(), cur.zeroCount(),
        DEFAULT_EPSILON)) {
      return false;
    }
    if (!Arrays.equals(exp.negativeSpans(), cur.negativeSpans())
        || !bucketsMatch(exp.negativeBuckets(), cur.negativeBuckets())
        || !Arrays.equals(exp.positiveSpans(), cur.positiveSpans())
        || !bucketsMatch(exp.positiveBuckets(), cur.positiveBuckets())) {
      return false;
    }
    return !hintSet || exp.counterResetHint() == cur.counterResetHint();
  }

  private static boolean bucketsMatch(double[] a, double[] b) {
    if (a.length != b.length) {
      return false;
    }
    for (int i = 0; i < a.length; i++) {
      if (!almostEqual(a[i], b[i], DEFAULT_EPSILON)) {
        return false;
      }
    }
    return true;
  }

  static String format(TimeSeries s) {
    StringBuilder sb = new StringBuilder();
    sb.append(s.floatTimestamps().length).append(" float points [");
    for (int i = 0; i < s.floatTimestamps().length; i++) {
      sb.append(i > 0 ? " " : "").append(FloatText.of(s.floatValues()[i])).append(" @[")
          .append(s.floatTimestamps()[i]).append(']');
    }
    sb.append("] and ").append(s.histogramTimestamps().length).append(" histogram points [");
    for (int i = 0; i < s.histogramTimestamps().length; i++) {
      sb.append(i > 0 ? " " : "").append(HistogramText.of(s.histograms()[i])).append(" @[")
          .append(s.histogramTimestamps()[i]).append(']');
    }
    return sb.append(']').toString();
  }
}
