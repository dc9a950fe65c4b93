package dev.orrery.promql.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import dev.orrery.core.histogram.BucketBounds;
import dev.orrery.core.histogram.FloatHistogram;
import dev.orrery.core.histogram.Histogram;
import dev.orrery.core.histogram.Span;
import dev.orrery.core.labels.Labels;
import dev.orrery.promql.engine.QueryResult;
import dev.orrery.promql.engine.Sample;
import dev.orrery.promql.engine.TimeSeries;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;

/**
 * Writes the JSON of Prometheus' HTTP API with Jackson's streaming generator, byte for byte as Prometheus' {@code
 * jsoniter} codec does ({@code web/api/v1/json_codec.go}, {@code util/jsonutil/marshal.go}): sample values as strings
 * in Go's shortest float format ({@code NaN}, {@code +Inf}, {@code -Inf}; exponent form below 1e-6 and from 1e21),
 * timestamps as seconds with up to three fraction digits, labels as objects in label order, native histograms as
 * {@code count}/{@code sum}/{@code buckets} objects, and strings escaped as Go's {@code encoding/json} escapes them
 * ({@code <}, {@code >}, {@code &}, U+2028 and U+2029 as {@code &#92;u} escapes).
 *
 * <p>Confined to one thread; {@link #close()} flushes and closes the underlying stream.
 */
public final class ApiJsonWriter implements AutoCloseable {
  private static final JsonFactory FACTORY = new JsonFactoryBuilder()
      .characterEscapes(new GoCharacterEscapes())
      // Go writes characters outside the BMP as UTF-8, not as a \\u surrogate pair.
      .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
      // Points go straight to the stream after a flush of the generator's buffer (writeFloatPoints); that flush must
      // not also flush the stream, which would send each series as its own network write.
      .disable(StreamWriteFeature.FLUSH_PASSED_TO_STREAM)
      .build();

  private final OutputStream out;
  private final JsonGenerator gen;
  /** Reused text of one series' {@code values} array. */
  private FloatPointsText points;

  /** A writer onto {@code out}, which it closes. */
  public ApiJsonWriter(OutputStream out) throws IOException {
    this.out = out;
    this.gen = FACTORY.createGenerator(out);
  }

  /** The underlying generator, for callers that write their own {@code data}. */
  public JsonGenerator generator() {
    return gen;
  }

  /**
   * Writes a success envelope: {@code {"status":"success","data":<data>,"warnings":[...],"infos":[...]}}, the last
   * two only when non-empty.
   */
  public void writeSuccess(DataWriter data, List<String> warnings, List<String> infos) throws IOException {
    gen.writeStartObject();
    gen.writeStringField("status", "success");
    gen.writeFieldName("data");
    data.write(this);
    writeStringArrayField("warnings", warnings);
    writeStringArrayField("infos", infos);
    gen.writeEndObject();
  }

  /** Writes an error envelope: {@code {"status":"error","errorType":"bad_data","error":"..."}}. */
  public void writeError(ApiErrorType type, String message) throws IOException {
    gen.writeStartObject();
    gen.writeStringField("status", "error");
    gen.writeStringField("errorType", type.apiName());
    gen.writeStringField("error", message);
    gen.writeEndObject();
  }

  /** Writes the {@code data} of a query: {@code {"resultType":...,"result":...}}. */
  public void writeQueryData(QueryResult result) throws IOException {
    gen.writeStartObject();
    switch (result) {
      case QueryResult.Scalar s -> {
        gen.writeStringField("resultType", "scalar");
        gen.writeFieldName("result");
        gen.writeStartArray();
        writeTimestamp(s.timestampMillis());
        writeFloat(s.value());
        gen.writeEndArray();
      }
      case QueryResult.StringResult s -> {
        gen.writeStringField("resultType", "string");
        gen.writeFieldName("result");
        gen.writeStartArray();
        writeTimestamp(s.timestampMillis());
        gen.writeString(s.value());
        gen.writeEndArray();
      }
      case QueryResult.Vector v -> {
        gen.writeStringField("resultType", "vector");
        gen.writeFieldName("result");
        writeVector(v.samples());
      }
      case QueryResult.Matrix m -> {
        gen.writeStringField("resultType", "matrix");
        gen.writeFieldName("result");
        writeMatrix(m.series());
      }
    }
    gen.writeEndObject();
  }

  /** An instant vector: {@code [{"metric":{...},"value":[t,"v"]}, {"metric":{...},"histogram":[t,{...}]}]}. */
  public void writeVector(List<Sample> samples) throws IOException {
    gen.writeStartArray();
    for (Sample s : samples) {
      gen.writeStartObject();
      gen.writeFieldName("metric");
      writeLabels(s.labels());
      gen.writeFieldName(s.isHistogram() ? "histogram" : "value");
      gen.writeStartArray();
      writeTimestamp(s.timestampMillis());
      if (s.isHistogram()) {
        writeHistogram(s.histogram());
      } else {
        writeFloat(s.value());
      }
      gen.writeEndArray();
      gen.writeEndObject();
    }
    gen.writeEndArray();
  }

  /**
   * A range vector: {@code [{"metric":{...},"values":[[t,"v"],...],"histograms":[[t,{...}],...]}]}; each of
   * {@code values} and {@code histograms} only when the series has such points.
   */
  public void writeMatrix(List<TimeSeries> series) throws IOException {
    gen.writeStartArray();
    for (TimeSeries s : series) {
      gen.writeStartObject();
      gen.writeFieldName("metric");
      writeLabels(s.labels());
      long[] ft = s.floatTimestamps();
      double[] fv = s.floatValues();
      if (ft.length > 0) {
        gen.writeFieldName("values");
        writeFloatPoints(ft, fv);
      }
      long[] ht = s.histogramTimestamps();
      FloatHistogram[] hv = s.histograms();
      if (ht.length > 0) {
        gen.writeFieldName("histograms");
        gen.writeStartArray();
        for (int i = 0; i < ht.length; i++) {
          gen.writeStartArray();
          writeTimestamp(ht[i]);
          writeHistogram(hv[i]);
          gen.writeEndArray();
        }
        gen.writeEndArray();
      }
      gen.writeEndObject();
    }
    gen.writeEndArray();
  }

  // [[t,"v"],...] as one raw value: the generator writes the separator and hands over its buffer, then the points'
  // bytes go to the stream directly.
  private void writeFloatPoints(long[] ts, double[] vs) throws IOException {
    if (points == null) {
      points = new FloatPointsText();
    }
    points.build(ts, vs);
    gen.writeRawValue("");
    gen.flush();
    out.write(points.bytes(), 0, points.length());
  }

  /** A label set as a JSON object in label order, e.g. {@code {"__name__":"up","job":"api"}}. */
  public void writeLabels(Labels labels) throws IOException {
    gen.writeStartObject();
    for (int i = 0; i < labels.size(); i++) {
      gen.writeStringField(labels.name(i), labels.value(i));
    }
    gen.writeEndObject();
  }

  /** A JSON array of strings. */
  public void writeStringArray(List<String> values) throws IOException {
    gen.writeStartArray();
    for (String v : values) {
      gen.writeString(v);
    }
    gen.writeEndArray();
  }

  private void writeStringArrayField(String name, List<String> values) throws IOException {
    if (values != null && !values.isEmpty()) {
      gen.writeFieldName(name);
      writeStringArray(values);
    }
  }

  /** A timestamp in milliseconds as Prometheus writes it: {@code 1704067200}, {@code 1704067200.123}. */
  public void writeTimestamp(long millis) throws IOException {
    if (millis % 1000 == 0) {
      gen.writeNumber(millis / 1000);
    } else {
      gen.writeNumber(formatTimestamp(millis));
    }
  }

  /** A float as a JSON string in Prometheus' format (see {@link #formatFloat}). */
  public void writeFloat(double v) throws IOException {
    gen.writeString(formatFloat(v));
  }

  /**
   * A native histogram: {@code {"count":"c","sum":"s","buckets":[[boundaries,"lower","upper","count"],...]}} with
   * the non-empty buckets in ascending order; {@code boundaries} is 0 (left open), 1 (right open), 2 (open) or 3
   * (closed), as {@code jsonutil.MarshalHistogram}.
   */
  public void writeHistogram(FloatHistogram h) throws IOException {
    gen.writeStartObject();
    gen.writeStringField("count", formatFloat(h.count()));
    gen.writeStringField("sum", formatFloat(h.sum()));
    boolean[] started = {false};
    boolean custom = h.schema() == Histogram.CUSTOM_BUCKETS_SCHEMA;
    if (!custom) {
      writeNegativeBuckets(h, started);
      if (h.zeroCount() > 0) {
        writeBucket(started, 3, -h.zeroThreshold(), h.zeroThreshold(), h.zeroCount());
      }
    }
    writePositiveBuckets(h, custom, started);
    if (started[0]) {
      gen.writeEndArray();
    }
    gen.writeEndObject();
  }

  private void writeNegativeBuckets(FloatHistogram h, boolean[] started) throws IOException {
    Span[] spans = h.negativeSpans();
    double[] counts = h.negativeBuckets();
    int n = Math.min(counts.length, spanBucketCount(spans));
    if (n == 0) {
      return;
    }
    int[] indexes = bucketIndexes(spans, n);
    // Ascending order of bounds: the most negative bucket (highest index) first.
    for (int k = n - 1; k >= 0; k--) {
      double count = counts[k];
      if (count == 0) {
        continue;
      }
      double lower = -BucketBounds.upper(indexes[k], h.schema());
      double upper = -BucketBounds.lower(indexes[k], h.schema());
      boolean lowerInclusive = lower < 0;
      boolean upperInclusive = upper > 0;
      if (upper < 0 && upper > -h.zeroThreshold()) {
        upper = -h.zeroThreshold();
      }
      writeBucket(started, boundaries(lowerInclusive, upperInclusive), lower, upper, count);
    }
  }

  private void writePositiveBuckets(FloatHistogram h, boolean custom, boolean[] started) throws IOException {
    Span[] spans = h.positiveSpans();
    double[] counts = h.positiveBuckets();
    int n = Math.min(counts.length, spanBucketCount(spans));
    if (n == 0) {
      return;
    }
    int[] indexes = bucketIndexes(spans, n);
    for (int k = 0; k < n; k++) {
      double count = counts[k];
      if (count == 0) {
        continue;
      }
      double lower;
      double upper;
      boolean lowerInclusive;
      boolean upperInclusive;
      if (custom) {
        lower = BucketBounds.customLower(indexes[k], h.customValues());
        upper = BucketBounds.customUpper(indexes[k], h.customValues());
        lowerInclusive = lower == Double.NEGATIVE_INFINITY;
        upperInclusive = true;
      } else {
        lower = BucketBounds.lower(indexes[k], h.schema());
        upper = BucketBounds.upper(indexes[k], h.schema());
        lowerInclusive = lower < 0;
        upperInclusive = upper > 0;
        if (lower > 0 && lower < h.zeroThreshold()) {
          lower = h.zeroThreshold();
        }
      }
      writeBucket(started, boundaries(lowerInclusive, upperInclusive), lower, upper, count);
    }
  }

  private void writeBucket(boolean[] started, int boundaries, double lower, double upper, double count)
      throws IOException {
    if (!started[0]) {
      gen.writeFieldName("buckets");
      gen.writeStartArray();
      started[0] = true;
    }
    gen.writeStartArray();
    gen.writeNumber(boundaries);
    writeFloat(lower);
    writeFloat(upper);
    writeFloat(count);
    gen.writeEndArray();
  }

  private static int boundaries(boolean lowerInclusive, boolean upperInclusive) {
    if (lowerInclusive) {
      return upperInclusive ? 3 : 1;
    }
    return upperInclusive ? 0 : 2;
  }

  private static int spanBucketCount(Span[] spans) {
    int n = 0;
    for (Span s : spans) {
      n += s.length();
    }
    return n;
  }

  // Absolute bucket indexes: the first span's offset is absolute, later offsets count from the previous span's end.
  private static int[] bucketIndexes(Span[] spans, int n) {
    int[] out = new int[n];
    int k = 0;
    int idx = 0;
    for (int s = 0; s < spans.length && k < n; s++) {
      idx += spans[s].offset();
      for (int j = 0; j < spans[s].length() && k < n; j++) {
        out[k++] = idx++;
      }
    }
    return out;
  }

  /**
   * Prometheus' {@code jsonutil.MarshalTimestamp}: whole seconds, then a point and three digits when the milliseconds
   * are not zero ({@code 1704067200.120} keeps its trailing zero).
   */
  public static String formatTimestamp(long millis) {
    StringBuilder sb = new StringBuilder(20);
    appendTimestamp(sb, millis);
    return sb.toString();
  }

  /** Appends {@link #formatTimestamp}'s text. */
  static void appendTimestamp(StringBuilder sb, long millis) {
    long t = millis;
    if (t < 0) {
      sb.append('-');
      t = -t;
    }
    sb.append(t / 1000);
    long fraction = t % 1000;
    if (fraction != 0) {
      sb.append('.');
      if (fraction < 100) {
        sb.append('0');
      }
      if (fraction < 10) {
        sb.append('0');
      }
      sb.append(fraction);
    }
  }

  /**
   * Prometheus' {@code jsonutil.MarshalFloat} without the quotes: Go's {@code strconv.FormatFloat(v, 'f', -1, 64)},
   * or {@code 'e'} when {@code |v| < 1e-6} or {@code |v| >= 1e21} (and {@code v != 0}); {@code NaN}, {@code +Inf},
   * {@code -Inf}.
   */
  public static String formatFloat(double v) {
    StringBuilder sb = new StringBuilder(24);
    appendFloat(sb, v);
    return sb.toString();
  }

  /**
   * Appends {@link #formatFloat}'s text. Fast paths for the common values, equal to the general form (a property test
   * checks it): integers print their digits; short decimals (gauges with a few decimals) are found by scaling; in
   * [1e-3, 1e7) Java's shortest digits are plain and equal Go's for every normal double; in [1e7, 1e21) (rates of byte
   * counters, for one) Java's scientific form is rewritten in place.
   */
  static void appendFloat(StringBuilder sb, double v) {
    double abs = Math.abs(v);
    if (abs < 1e15 && v == Math.rint(v) && v != 0) {
      sb.append((long) v);
    } else if (abs >= 1e-6 && abs < 1e15 && appendShortDecimal(sb, v)) {
      return;
    } else if (abs >= 1e-3 && abs < 1e7) {
      sb.append(v);
    } else if (!(abs >= 1e7 && abs < 1e21 && appendLargePlain(sb, v))) {
      // NaN, infinities, zero, the small and the huge, and two-digit large values.
      sb.append(formatFloatGeneral(v));
    }
  }

  private static final double[] POWERS_OF_TEN = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6};
  private static final long[] LONG_POWERS_OF_TEN = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000};

  /**
   * Appends {@code v} (not an integer, {@code 1e-6 <= |v| < 1e15}) when it is the double of a decimal with at most six
   * fraction digits and fifteen significant digits; returns false (appending nothing) otherwise. The first such
   * decimal by fraction digits is the shortest that round-trips, and with at most fifteen digits it is the only one
   * of its length (DBL_DIG), so it is Go's shortest form. {@code m / 10^k} is exact before its one rounding, so it
   * equals the parse of the decimal.
   */
  private static boolean appendShortDecimal(StringBuilder sb, double v) {
    for (int k = 1; k < POWERS_OF_TEN.length; k++) {
      double scaled = v * POWERS_OF_TEN[k];
      if (Math.abs(scaled) >= 1e15) {
        return false;
      }
      double m = Math.rint(scaled);
      if (m / POWERS_OF_TEN[k] == v) {
        long digits = (long) Math.abs(m);
        long unit = LONG_POWERS_OF_TEN[k];
        long fraction = digits % unit;
        if (v < 0) {
          sb.append('-');
        }
        sb.append(digits / unit).append('.');
        for (long p = unit / 10; p > fraction; p /= 10) {
          sb.append('0');
        }
        sb.append(fraction);
        return true;
      }
    }
    return false;
  }

  /**
   * Appends {@code v}, {@code 1e7 <= |v| < 1e21}, in plain form from Java's {@code d.dddE<exp>} digits; returns false
   * (appending nothing) for two significant digits, where Java's choice may differ from Go's shortest (see
   * {@link #shortenToOneDigit}).
   */
  private static boolean appendLargePlain(StringBuilder sb, double v) {
    String s = Double.toString(Math.abs(v));
    int e = s.indexOf('E');
    int fracEnd = e;
    while (fracEnd > 2 && s.charAt(fracEnd - 1) == '0') {
      fracEnd--;
    }
    int frac = fracEnd - 2;
    if (frac == 1) {
      return false;
    }
    int exp = 0;
    for (int i = e + 1; i < s.length(); i++) {
      exp = exp * 10 + (s.charAt(i) - '0');
    }
    if (v < 0) {
      sb.append('-');
    }
    sb.append(s.charAt(0));
    if (frac <= exp) {
      sb.append(s, 2, fracEnd);
      for (int i = frac; i < exp; i++) {
        sb.append('0');
      }
    } else {
      sb.append(s, 2, 2 + exp).append('.').append(s, 2 + exp, fracEnd);
    }
    return true;
  }

  /** {@link #formatFloat} for any value, from the shortest digits and the decimal exponent. */
  static String formatFloatGeneral(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == 0) {
      return Double.doubleToRawLongBits(v) < 0 ? "-0" : "0";
    }
    double abs = Math.abs(v);
    // Shortest round-trip digits (JDK 19+ Double.toString), split into digits and a decimal exponent.
    String s = Double.toString(abs);
    StringBuilder digits = new StringBuilder(20);
    int exp;
    int e = s.indexOf('E');
    String mantissa = e < 0 ? s : s.substring(0, e);
    int point = mantissa.indexOf('.');
    int intDigits = point < 0 ? mantissa.length() : point;
    digits.append(mantissa, 0, intDigits);
    if (point >= 0) {
      digits.append(mantissa, point + 1, mantissa.length());
    }
    // exp: the power of ten of the first digit
    exp = intDigits - 1 + (e < 0 ? 0 : Integer.parseInt(s.substring(e + 1)));
    int lead = 0;
    while (lead < digits.length() - 1 && digits.charAt(lead) == '0') {
      lead++;
      exp--;
    }
    digits.delete(0, lead);
    int end = digits.length();
    while (end > 1 && digits.charAt(end - 1) == '0') {
      end--;
    }
    digits.setLength(end);
    if (digits.length() == 2) {
      // JDK's Double.toString prints at least two digits: a 2-digit result may hide a 1-digit one that also round-trips
      // (Double.MIN_VALUE prints as 4.9E-324; Go's shortest form is 5e-324).
      exp = shortenToOneDigit(digits, exp, abs);
    }

    StringBuilder out = new StringBuilder(32);
    if (v < 0) {
      out.append('-');
    }
    if (abs < 1e-6 || abs >= 1e21) {
      out.append(digits.charAt(0));
      if (digits.length() > 1) {
        out.append('.').append(digits, 1, digits.length());
      }
      out.append('e').append(exp < 0 ? '-' : '+');
      int absExp = Math.abs(exp);
      if (absExp < 10) {
        out.append('0');
      }
      out.append(absExp);
      return out.toString();
    }
    if (exp < 0) {
      out.append("0.");
      for (int i = -1; i > exp; i--) {
        out.append('0');
      }
      out.append(digits);
    } else if (exp + 1 >= digits.length()) {
      out.append(digits);
      for (int i = digits.length(); i <= exp; i++) {
        out.append('0');
      }
    } else {
      out.append(digits, 0, exp + 1).append('.').append(digits, exp + 1, digits.length());
    }
    return out.toString();
  }

  // Tries d and d+1 at the precision of the first digit; keeps the closer one that parses back to abs.
  private static int shortenToOneDigit(StringBuilder digits, int exp, double abs) {
    BigDecimal exact = new BigDecimal(abs);
    int first = digits.charAt(0) - '0';
    BigDecimal best = null;
    BigDecimal bestDistance = null;
    for (int candidate = first; candidate <= first + 1; candidate++) {
      BigDecimal dec = new BigDecimal(BigInteger.valueOf(candidate), -exp);
      if (dec.doubleValue() == abs) {
        BigDecimal distance = dec.subtract(exact).abs();
        if (bestDistance == null || distance.compareTo(bestDistance) < 0) {
          bestDistance = distance;
          best = dec;
        }
      }
    }
    if (best == null) {
      return exp;
    }
    BigDecimal stripped = best.stripTrailingZeros();
    digits.setLength(0);
    digits.append(stripped.unscaledValue());
    return digits.length() - 1 - stripped.scale();
  }

  @Override
  public void close() throws IOException {
    gen.close();
  }

  /** Writes the {@code data} field's value of a success response. */
  @FunctionalInterface
  public interface DataWriter {
    /** Writes one JSON value through {@code json}. */
    void write(ApiJsonWriter json) throws IOException;
  }

  /**
   * Go's {@code encoding/json} string escaping (which jsoniter's standard-library mode copies): {@code \"},
   * {@code \\}, {@code \n}, {@code \r}, {@code \t}, other control characters as lower-case {@code &#92;u00xx}, and the
   * HTML-sensitive {@code <}, {@code >}, {@code &} and the line separators U+2028, U+2029 as {@code &#92;u} escapes.
   */
  private static final class GoCharacterEscapes extends CharacterEscapes {
    private static final long serialVersionUID = 1L;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final int[] asciiEscapes;

    GoCharacterEscapes() {
      int[] esc = CharacterEscapes.standardAsciiEscapesForJSON();
      for (int c = 0; c < 0x20; c++) {
        if (c != '\n' && c != '\r' && c != '\t') {
          esc[c] = ESCAPE_CUSTOM;
        }
      }
      esc['<'] = ESCAPE_CUSTOM;
      esc['>'] = ESCAPE_CUSTOM;
      esc['&'] = ESCAPE_CUSTOM;
      this.asciiEscapes = esc;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return asciiEscapes;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      if (ch < 0x80 || ch == 0x2028 || ch == 0x2029) {
        return new SerializedString("\\u" + HEX[(ch >> 12) & 0xF] + HEX[(ch >> 8) & 0xF] + HEX[(ch >> 4) & 0xF]
            + HEX[ch & 0xF]);
      }
      return null;
    }
  }
}
