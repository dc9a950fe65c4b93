package dev.orrery.core.block;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orrery.core.io.GoFloat;
import dev.orrery.core.labels.Labels;
import dev.orrery.core.testing.Environment;
import dev.orrery.core.testing.PrometheusProcess;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Blocks written by Orrery, checked by real {@code promtool} and served by a real Prometheus 2.42. */
@Tag("interop")
class OrreryBlocksInteropTest {
  // 2024-01-01T02:00:00Z: a 2h boundary, so the whole data set falls in one block window.
  static final long START = 1704074400000L;
  static final long STEP = 15_000;
  static final int POINTS = 479; // up to 01:59:45 after START

  @TempDir
  static Path dataDir;

  static BlockMeta meta;
  static final TreeMap<Labels, double[]> written = new TreeMap<>();

  @BeforeAll
  static void writeBlock() throws IOException {
    try (BlockWriter w = BlockWriter.builder(dataDir).build()) {
      for (int s = 0; s < 40; s++) {
        Labels labels = Labels.of("__name__", s % 2 == 0 ? "orrery_requests_total" : "orrery_temperature",
            "instance", "host-" + s, "job", "interop", "note", s == 7 ? "quote\" back\\slash\nnewline ✓" : "x");
        double[] values = new double[POINTS];
        double counter = 0;
        // Append in reverse order for half of the series: the writer must sort.
        for (int i = 0; i < POINTS; i++) {
          counter += s * 3 + (i % 7);
          values[i] = s % 2 == 0 ? counter : Math.round((20 + 5 * Math.sin(i / 20.0 + s)) * 1000) / 1000.0;
          if (s == 5 && i % 50 == 3) {
            values[i] = Double.POSITIVE_INFINITY;
          }
          if (s == 9 && i % 40 == 1) {
            values[i] = -0.0;
          }
        }
        for (int k = 0; k < POINTS; k++) {
          int i = s % 2 == 0 ? k : POINTS - 1 - k;
          w.append(labels, START + i * STEP, values[i]);
        }
        written.put(labels, values);
      }
      meta = w.commit();
    }
  }

  @Test
  void promtoolAnalyzeAcceptsTheBlock() throws Exception {
    String out = Environment.run(120, dataDir, Environment.promtool().toString(), "tsdb", "analyze",
        dataDir.toString(), meta.ulid().toString());
    assertThat(out).contains("Block ID: " + meta.ulid()).contains("Series: 40\n").contains("Label names: 4\n")
        .contains("Postings (unique label pairs): 45\n").contains("Postings entries (total label pairs): 160\n");
  }

  @Test
  void promtoolDumpPrintsExactlyTheWrittenSamples() throws Exception {
    Files.createDirectories(dataDir.resolve("wal"));
    String out = Environment.run(120, dataDir, Environment.promtool().toString(), "tsdb", "dump",
        dataDir.toString());
    List<String> expected = new ArrayList<>();
    for (Map.Entry<Labels, double[]> e : written.entrySet()) {
      for (int i = 0; i < POINTS; i++) {
        expected.add(e.getKey() + " " + GoFloat.formatG(e.getValue()[i]) + " " + (START + i * STEP));
      }
    }
    assertThat(out.lines().toList()).containsExactlyElementsOf(expected);
  }

  @Test
  void prometheusServesTheBlock() throws Exception {
    Path promData = Files.createDirectories(dataDir.resolve("../prom-" + meta.ulid()).normalize());
    copyTree(dataDir.resolve(meta.ulid().toString()), promData.resolve(meta.ulid().toString()));
    try (PrometheusProcess prom = PrometheusProcess.start(promData.getParent(), promData, Map.of())) {
      for (Map.Entry<Labels, double[]> e : written.entrySet()) {
        String selector = "{__name__=\"" + e.getKey().metricName() + "\",instance=\"" + e.getKey().get("instance")
            + "\"}";
        JsonNode result = prom.api("/api/v1/query_range?query=" + URLEncoder.encode(selector, StandardCharsets.UTF_8)
            + "&start=" + START / 1000.0 + "&end=" + (START + (POINTS - 1) * STEP) / 1000.0 + "&step=15")
            .path("result");
        assertThat(result.size()).as("series for %s", selector).isEqualTo(1);
        JsonNode points = result.get(0).path("values");
        assertThat(points.size()).isEqualTo(POINTS);
        for (int i = 0; i < POINTS; i++) {
          JsonNode p = points.get(i);
          assertThat(Math.round(p.get(0).asDouble() * 1000)).isEqualTo(START + i * STEP);
          assertThat(PrometheusProcess.parseValue(p.get(1).asText())).as("%s at %d", selector, i)
              .isEqualTo(e.getValue()[i]);
        }
      }
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (var paths = Files.walk(from)) {
      for (Path p : (Iterable<Path>) paths::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }
}
