package dev.orrery.promql.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orrery.core.histogram.CounterResetHint;
import dev.orrery.core.histogram.FloatHistogram;
import dev.orrery.core.histogram.Span;
import dev.orrery.core.labels.Labels;
import dev.orrery.core.testing.HistogramWal;
import dev.orrery.core.testing.PrometheusProcess;
import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Native histograms in the query API's JSON are written exactly as Prometheus 2.42 writes them: every bucket bound of
 * every exponential schema (Prometheus' bound table, last-ulp quirks included), zero buckets, negative buckets.
 */
@Tag("interop")
class HistogramJsonReferenceTest {
  static final long T0 = 1_704_067_200_000L;

  @TempDir
  Path dir;

  /** A histogram with {@code n} consecutive buckets from {@code first}, on both sides, and a zero bucket. */
  static FloatHistogram wide(int schema, int first, int n) {
    double[] counts = new double[n];
    for (int k = 0; k < n; k++) {
      counts[k] = k + 1;
    }
    double total = 2.0 * n * (n + 1) / 2 + 7;
    return new FloatHistogram(CounterResetHint.UNKNOWN, schema, 0.0001, 7, total, 123.25,
        new Span[] {new Span(first, n)}, counts, new Span[] {new Span(first, n)}, counts.clone(), new double[0]);
  }

  @Test
  void bucketBoundsOfEverySchemaEqualPrometheus() throws Exception {
    List<Labels> series = new ArrayList<>();
    List<FloatHistogram[]> samples = new ArrayList<>();
    for (int schema = -4; schema <= 8; schema++) {
      // Two octaves of buckets around 1 (every bound of the schema's table twice), or 32 for coarse schemas.
      int perOctave = schema >= 0 ? 1 << schema : 1;
      int n = Math.max(2 * perOctave, 32);
      series.add(Labels.of("__name__", "h", "schema", Integer.toString(schema)));
      samples.add(new FloatHistogram[] {wide(schema, -n / 2, n)});
    }
    Path data = dir.resolve("prom");
    HistogramWal.write(data, series, new long[] {T0}, samples);
    ObjectMapper json = new ObjectMapper();
    try (PrometheusProcess prom = PrometheusProcess.start(dir, data, Map.of(),
        "--enable-feature=native-histograms")) {
      JsonNode result = prom.api("/api/v1/query?query=" + URLEncoder.encode("h", StandardCharsets.UTF_8)
          + "&time=" + T0 / 1000).path("result");
      assertThat(result.size()).isEqualTo(series.size());
      for (JsonNode r : result) {
        int schema = r.path("metric").path("schema").asInt();
        FloatHistogram h = samples.get(schema + 4)[0];
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ApiJsonWriter w = new ApiJsonWriter(out)) {
          w.writeHistogram(h);
        }
        JsonNode ours = json.readTree(out.toByteArray());
        JsonNode theirs = r.path("histogram").path(1);
        assertThat(ours.path("buckets").size()).as("schema %d", schema).isEqualTo(h.positiveBuckets().length * 2 + 1);
        assertThat(ours).as("schema %d", schema).isEqualTo(theirs);
      }
    }
  }
}
