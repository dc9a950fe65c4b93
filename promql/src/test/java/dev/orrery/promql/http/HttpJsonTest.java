package dev.orrery.promql.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orrery.core.histogram.CounterResetHint;
import dev.orrery.core.histogram.FloatHistogram;
import dev.orrery.core.histogram.Span;
import dev.orrery.core.labels.Labels;
import dev.orrery.promql.engine.Annotations;
import dev.orrery.promql.engine.QueryResult;
import dev.orrery.promql.engine.Sample;
import dev.orrery.promql.engine.TimeSeries;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HttpJsonTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "0 | 0",
      "-0.0 | -0",
      "1 | 1",
      "-1 | -1",
      "0.1 | 0.1",
      "2.5 | 2.5",
      "100 | 100",
      "0.001 | 0.001",
      "1234567 | 1234567",
      "12345678.9 | 12345678.9",
      "0.000001 | 0.000001",
      "0.00000099 | 9.9e-07",
      "1.5e-7 | 1.5e-07",
      "-1.5e-7 | -1.5e-07",
      "1e-10 | 1e-10",
      "5e-324 | 5e-324",
      "1e20 | 100000000000000000000",
      "123456789012345678901 | 123456789012345680000",
      "1e21 | 1e+21",
      "1.5e300 | 1.5e+300",
      "-1.7976931348623157e308 | -1.7976931348623157e+308",
      "0.30000000000000004 | 0.30000000000000004",
      "1704067200.123 | 1704067200.123",
      "1e7 | 10000000",
      "NaN | NaN",
      "Infinity | +Inf",
      "-Infinity | -Inf"})
  void formatsFloatsAsPrometheus(String input, String expected) {
    assertThat(ApiJsonWriter.formatFloat(Double.parseDouble(input))).isEqualTo(expected);
  }

  @Test
  void fastPathsFormatLikeTheGeneralForm() {
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(7);
    for (int i = 0; i < 300_000; i++) {
      double v = switch (i % 7) {
        case 0 -> Double.longBitsToDouble(rnd.nextLong());
        case 1 -> rnd.nextLong(-(1L << 53), 1L << 53);
        case 2 -> Math.round(rnd.nextDouble() * 1e9) / 100.0 * (rnd.nextBoolean() ? 1 : -1);
        case 3 -> rnd.nextDouble() * Math.pow(10, rnd.nextInt(-5, 23)) * (rnd.nextBoolean() ? 1 : -1);
        case 4 -> Math.nextUp(Math.pow(10, rnd.nextInt(-4, 22)));
        case 5 -> rnd.nextLong(-1_000_000_000L, 1_000_000_000L) / Math.pow(10, rnd.nextInt(1, 10));
        default -> Math.nextDown(Math.pow(10, rnd.nextInt(-4, 22))) * (rnd.nextBoolean() ? 1 : -1);
      };
      assertThat(ApiJsonWriter.formatFloat(v)).as("%s", v).isEqualTo(ApiJsonWriter.formatFloatGeneral(v));
    }
  }

  @Test
  void everyFormattedFloatParsesBackAndAgreesWithTheParsersFormatter() {
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(42);
    for (int i = 0; i < 200_000; i++) {
      double v = switch (i % 4) {
        case 0 -> Double.longBitsToDouble(rnd.nextLong());
        case 1 -> rnd.nextDouble() * Math.pow(10, rnd.nextInt(-8, 23));
        case 2 -> Math.round(rnd.nextDouble() * 1e6) / 1000.0;
        default -> -rnd.nextDouble();
      };
      if (Double.isNaN(v)) {
        continue;
      }
      String text = ApiJsonWriter.formatFloat(v);
      String javaText = text.replace("+Inf", "Infinity").replace("-Inf", "-Infinity");
      assertThat(Double.parseDouble(javaText)).as(text).isEqualTo(v);
      double abs = Math.abs(v);
      if (abs != 0 && abs >= 1e-6 && abs < 1e21) {
        assertThat(text).isEqualTo(dev.orrery.promql.ast.PromqlPrinter.formatGoFloatF(v));
      }
    }
  }

  @ParameterizedTest
  @CsvSource({
      "1704067200000, 1704067200",
      "1704067200123, 1704067200.123",
      "1704067200120, 1704067200.120",
      "1704067200005, 1704067200.005",
      "1704067200050, 1704067200.050",
      "5, 0.005",
      "0, 0",
      "-1500, -1.500",
      "-1000, -1"})
  void formatsTimestampsAsPrometheus(long millis, String expected) {
    assertThat(ApiJsonWriter.formatTimestamp(millis)).isEqualTo(expected);
  }

  @Test
  void writesAVectorWithWarningsAndInfos() throws IOException {
    QueryResult.Vector v = new QueryResult.Vector(List.of(
        new Sample(Labels.of("__name__", "up", "job", "api"), 1704067200123L, 1, null),
        new Sample(Labels.of("job", "db"), 1704067200123L, Double.NaN, null)), Annotations.empty());
    String json = write(w -> w.writeSuccess(d -> d.writeQueryData(v), List.of("PromQL warning: w"),
        List.of("PromQL info: i")));
    assertThat(json).isEqualTo("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
        + "{\"metric\":{\"__name__\":\"up\",\"job\":\"api\"},\"value\":[1704067200.123,\"1\"]},"
        + "{\"metric\":{\"job\":\"db\"},\"value\":[1704067200.123,\"NaN\"]}]},"
        + "\"warnings\":[\"PromQL warning: w\"],\"infos\":[\"PromQL info: i\"]}");
  }

  @Test
  void writesScalarsStringsAndEmptyResults() throws IOException {
    assertThat(write(w -> w.writeQueryData(new QueryResult.Scalar(1000, Double.POSITIVE_INFINITY,
        Annotations.empty())))).isEqualTo("{\"resultType\":\"scalar\",\"result\":[1,\"+Inf\"]}");
    assertThat(write(w -> w.writeQueryData(new QueryResult.StringResult(1500, "a\"b", Annotations.empty()))))
        .isEqualTo("{\"resultType\":\"string\",\"result\":[1.500,\"a\\\"b\"]}");
    assertThat(write(w -> w.writeQueryData(new QueryResult.Vector(List.of(), Annotations.empty()))))
        .isEqualTo("{\"resultType\":\"vector\",\"result\":[]}");
    assertThat(write(w -> w.writeQueryData(new QueryResult.Matrix(List.of(), Annotations.empty()))))
        .isEqualTo("{\"resultType\":\"matrix\",\"result\":[]}");
    assertThat(write(w -> w.writeSuccess(d -> d.writeStringArray(List.of()), List.of(), List.of())))
        .isEqualTo("{\"status\":\"success\",\"data\":[]}");
  }

  @Test
  void writesAMatrixWithFloatAndHistogramPoints() throws IOException {
    FloatHistogram h = new FloatHistogram(CounterResetHint.UNKNOWN, 0, 0, 0, 2, 3.5,
        new Span[] {new Span(1, 1)}, new double[] {2}, new Span[0], new double[0], new double[0]);
    TimeSeries floats = new TimeSeries(Labels.of("a", "1"), new long[] {1000, 61000}, new double[] {1.5, -2e-7},
        new long[0], new FloatHistogram[0]);
    TimeSeries mixed = new TimeSeries(Labels.of("a", "2"), new long[] {1000}, new double[] {3},
        new long[] {61000}, new FloatHistogram[] {h});
    TimeSeries histograms = new TimeSeries(Labels.of("a", "3"), new long[0], new double[0],
        new long[] {1000}, new FloatHistogram[] {h});
    String json = write(w -> w.writeQueryData(new QueryResult.Matrix(List.of(floats, mixed, histograms),
        Annotations.empty())));
    String hist = "{\"count\":\"2\",\"sum\":\"3.5\",\"buckets\":[[0,\"1\",\"2\",\"2\"]]}";
    assertThat(json).isEqualTo("{\"resultType\":\"matrix\",\"result\":["
        + "{\"metric\":{\"a\":\"1\"},\"values\":[[1,\"1.5\"],[61,\"-2e-07\"]]},"
        + "{\"metric\":{\"a\":\"2\"},\"values\":[[1,\"3\"]],\"histograms\":[[61," + hist + "]]},"
        + "{\"metric\":{\"a\":\"3\"},\"histograms\":[[1," + hist + "]]}]}");
  }

  @Test
  void writesExponentialHistogramBucketsInAscendingOrderWithBoundaryKinds() throws IOException {
    // Schema 0: bucket i is (2^(i-1), 2^i]; negative buckets mirror them. Empty buckets are left out.
    FloatHistogram h = new FloatHistogram(CounterResetHint.UNKNOWN, 0, 0.001, 12, 30, -4,
        new Span[] {new Span(0, 2), new Span(1, 2)}, new double[] {1, 0, 3, 4},
        new Span[] {new Span(1, 2)}, new double[] {5, 6}, new double[0]);
    String json = write(w -> w.writeVector(List.of(new Sample(Labels.of("__name__", "h"), 1000, 0, h))));
    assertThat(json).isEqualTo("[{\"metric\":{\"__name__\":\"h\"},\"histogram\":[1,{\"count\":\"30\",\"sum\":\"-4\","
        + "\"buckets\":["
        + "[1,\"-4\",\"-2\",\"6\"],"
        + "[1,\"-2\",\"-1\",\"5\"],"
        + "[3,\"-0.001\",\"0.001\",\"12\"],"
        + "[0,\"0.5\",\"1\",\"1\"],"
        + "[0,\"4\",\"8\",\"3\"],"
        + "[0,\"8\",\"16\",\"4\"]]}]}]");
  }

  @Test
  void bucketsInsideTheZeroThresholdAreClampedToIt() throws IOException {
    // Bucket 0 of schema 0 is (0.5, 1]; with a zero threshold of 0.75 its lower bound shows as 0.75.
    FloatHistogram h = new FloatHistogram(CounterResetHint.UNKNOWN, 0, 0.75, 0, 3, 1,
        new Span[] {new Span(0, 1)}, new double[] {1}, new Span[] {new Span(0, 1)}, new double[] {2}, new double[0]);
    assertThat(write(w -> w.writeHistogram(h))).isEqualTo("{\"count\":\"3\",\"sum\":\"1\",\"buckets\":["
        + "[1,\"-1\",\"-0.75\",\"2\"],[0,\"0.75\",\"1\",\"1\"]]}");
  }

  @Test
  void writesCustomBucketHistogramsWithInfiniteEnds() throws IOException {
    FloatHistogram nhcb = new FloatHistogram(CounterResetHint.UNKNOWN, -53, 0, 0, 6, 10,
        new Span[] {new Span(0, 3)}, new double[] {1, 2, 3}, new Span[0], new double[0], new double[] {0.5, 1});
    assertThat(write(w -> w.writeHistogram(nhcb))).isEqualTo("{\"count\":\"6\",\"sum\":\"10\",\"buckets\":["
        + "[3,\"-Inf\",\"0.5\",\"1\"],[0,\"0.5\",\"1\",\"2\"],[0,\"1\",\"+Inf\",\"3\"]]}");
  }

  @Test
  void histogramWithoutPopulatedBucketsHasNoBucketsField() throws IOException {
    FloatHistogram empty = new FloatHistogram(CounterResetHint.UNKNOWN, 3, 0.001, 0, 0, 0,
        new Span[0], new double[0], new Span[0], new double[0], new double[0]);
    assertThat(write(w -> w.writeHistogram(empty))).isEqualTo("{\"count\":\"0\",\"sum\":\"0\"}");
  }

  @Test
  void escapesStringsAsGoEncodingJson() throws IOException {
    String value = "<a&b>\n\t\r\u0001\u0008\u000c\u007f\"\\ naïve \u2028\u2029 😀";
    String json = write(w -> w.writeLabels(Labels.of("description", value)));
    assertThat(json).isEqualTo("{\"description\":\"\\u003ca\\u0026b\\u003e\\n\\t\\r\\u0001\\u0008\\u000c\u007f"
        + "\\\"\\\\ naïve \\u2028\\u2029 😀\"}");
  }

  @Test
  void writesErrorEnvelopes() throws IOException {
    assertThat(write(w -> w.writeError(ApiErrorType.BAD_DATA, "invalid parameter \"query\": x")))
        .isEqualTo("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"invalid parameter \\\"query\\\": x\"}");
  }

  @Test
  void errorTypesMapToPrometheusStatusCodes() {
    assertThat(ApiErrorType.BAD_DATA.httpStatus()).isEqualTo(400);
    assertThat(ApiErrorType.EXECUTION.httpStatus()).isEqualTo(422);
    assertThat(ApiErrorType.CANCELED.httpStatus()).isEqualTo(499);
    assertThat(ApiErrorType.TIMEOUT.httpStatus()).isEqualTo(503);
    assertThat(ApiErrorType.INTERNAL.httpStatus()).isEqualTo(500);
    assertThat(ApiErrorType.CANCELED.apiName()).isEqualTo("canceled");
  }

  private interface Body {
    void write(ApiJsonWriter w) throws IOException;
  }

  private static String write(Body body) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ApiJsonWriter w = new ApiJsonWriter(out)) {
      body.write(w);
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
