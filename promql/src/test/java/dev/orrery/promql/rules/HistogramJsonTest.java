package dev.orrery.promql.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orrery.core.histogram.BucketBounds;
import dev.orrery.core.histogram.CounterResetHint;
import dev.orrery.core.histogram.FloatHistogram;
import dev.orrery.core.histogram.Histogram;
import dev.orrery.core.histogram.Span;
import dev.orrery.core.testing.Properties;
import dev.orrery.promql.http.ApiJsonWriter;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class HistogramJsonTest {
  static JsonNode json(FloatHistogram h) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ApiJsonWriter w = new ApiJsonWriter(out)) {
      w.writeHistogram(h);
    }
    return new ObjectMapper().readTree(out.toByteArray());
  }

  /**
   * A random valid histogram: any schema, zero threshold and bucket layout (every bucket reaching above the zero
   * threshold), with empty buckets inside spans.
   */
  static FloatHistogram random(SplittableRandom r) {
    int schema = r.nextInt(-4, 9);
    double zeroThreshold = r.nextBoolean() ? HistogramJson.DEFAULT_ZERO_THRESHOLD : r.nextInt(0, 4) * 0.001;
    double zeroCount = r.nextBoolean() ? 0 : r.nextInt(1, 50);
    double[][] counts = new double[2][];
    Span[][] spans = new Span[2][];
    double total = zeroCount;
    for (int side = 0; side < 2; side++) {
      List<Span> s = new ArrayList<>();
      List<Double> c = new ArrayList<>();
      int n = r.nextInt(0, 4);
      int minIndex = -20 << Math.max(schema, 0);
      while (BucketBounds.upper(minIndex, schema) <= zeroThreshold) {
        minIndex++;
      }
      for (int k = 0; k < n; k++) {
        int length = r.nextInt(1, 5);
        s.add(new Span(k == 0 ? Math.max(minIndex, r.nextInt(-20, 20)) : r.nextInt(0, 5), length));
        for (int j = 0; j < length; j++) {
          double v = r.nextInt(4) == 0 ? 0 : r.nextInt(1, 1000) / 4.0;
          c.add(v);
          total += v;
        }
      }
      spans[side] = s.toArray(Span[]::new);
      counts[side] = c.stream().mapToDouble(Double::doubleValue).toArray();
    }
    return new FloatHistogram(CounterResetHint.UNKNOWN, schema, zeroThreshold, zeroCount, total,
        r.nextInt(-1000, 1000) / 8.0, spans[0], counts[0], spans[1], counts[1], new double[0]);
  }

  /** The non-empty buckets by index, as a comparable map. */
  static TreeMap<Integer, Double> buckets(Span[] spans, double[] counts) {
    TreeMap<Integer, Double> out = new TreeMap<>();
    int idx = 0;
    int k = 0;
    for (Span s : spans) {
      idx += s.offset();
      for (int j = 0; j < s.length(); j++, idx++, k++) {
        if (counts[k] != 0) {
          out.put(idx, counts[k]);
        }
      }
    }
    return out;
  }

  /** Whether {@code side} is empty or one bucket whose inner bound lies below the zero threshold. */
  static boolean clippedOnly(TreeMap<Integer, Double> side, FloatHistogram h) {
    return side.isEmpty() || side.size() == 1
        && BucketBounds.lower(side.firstKey(), h.schema()) < h.zeroThreshold();
  }

  @Test
  void everyExponentialHistogramReadsBackFromItsJson() {
    Properties.check("histogramJsonRoundTrip", 2_000, random -> {
      FloatHistogram h = random(random);
      FloatHistogram back = HistogramJson.parse(json(h));
      TreeMap<Integer, Double> positive = buckets(h.positiveSpans(), h.positiveBuckets());
      TreeMap<Integer, Double> negative = buckets(h.negativeSpans(), h.negativeBuckets());
      assertThat(back.count()).isEqualTo(h.count());
      assertThat(back.sum()).isEqualTo(h.sum());
      assertThat(back.zeroCount()).isEqualTo(h.zeroCount());
      // One bucket per side whose inner bound is clipped to the zero threshold fits several schemas; any of them
      // shows the same JSON (checked below).
      boolean onlyClipped = clippedOnly(positive, h) && clippedOnly(negative, h);
      if (!onlyClipped) {
        assertThat(buckets(back.positiveSpans(), back.positiveBuckets())).isEqualTo(positive);
        assertThat(buckets(back.negativeSpans(), back.negativeBuckets())).isEqualTo(negative);
        if (!positive.isEmpty() || !negative.isEmpty()) {
          assertThat(back.schema()).isEqualTo(h.schema());
        }
      }
      if (h.zeroCount() > 0) {
        assertThat(back.zeroThreshold()).isEqualTo(h.zeroThreshold());
      }
      // And it writes the same JSON again.
      assertThat(json(back)).isEqualTo(json(h));
    });
  }

  @Test
  void customBucketsAreRefused() throws Exception {
    FloatHistogram custom = new FloatHistogram(CounterResetHint.UNKNOWN, Histogram.CUSTOM_BUCKETS_SCHEMA, 0, 0, 3, 1,
        new Span[] {new Span(0, 2)}, new double[] {1, 2}, new Span[0], new double[0], new double[] {0.5});
    assertThatThrownBy(() -> HistogramJson.parse(json(custom))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("custom bucket bounds");
    JsonNode odd = new ObjectMapper().readTree("{\"count\":\"1\",\"sum\":\"1\",\"buckets\":[[0,\"1\",\"3\",\"1\"]]}");
    assertThatThrownBy(() -> HistogramJson.parse(odd)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("fit no exponential schema");
  }
}
