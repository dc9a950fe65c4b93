package dev.orrery.storeapi.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orrery.core.OrreryException;
import dev.orrery.core.storage.MetricMetadata;
import dev.orrery.core.storage.MetricMetadataSet;
import dev.orrery.core.storage.StoreOptions;
import dev.orrery.core.targets.ActiveTarget;
import dev.orrery.core.targets.TargetDiscovery;
import dev.orrery.core.testing.PrometheusProcess;
import dev.orrery.storeapi.InProcessStores;
import dev.orrery.storeapi.proxy.ProxyStore;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metric metadata API against a real Prometheus 2.42 scraping itself: the sidecar answers what Prometheus'
 * {@code /api/v1/metadata} says, and queriers fan it out over gRPC (stacked, and with a failing endpoint).
 */
@Tag("interop")
class SidecarMetadataTest {
  static final StoreOptions PARTIAL = new StoreOptions(null, null, true, null);
  static final StoreOptions STRICT = new StoreOptions(null, null, false, null);
  @TempDir static Path tmp;
  static PrometheusProcess prometheus;
  static SidecarStore sidecar;
  static final InProcessStores stores = new InProcessStores();

  @BeforeAll
  static void start() throws Exception {
    prometheus = PrometheusProcess.startScrapingItself(tmp, tmp.resolve("prom"));
    sidecar = new SidecarStore(new PrometheusClient(prometheus.url(), HttpClient.newHttpClient(),
        Duration.ofSeconds(30)), null);
    sidecar.refresh();
    // Families appear with the first scrape; the metadata handler's own metrics with the scrape after its first call.
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (prometheusMetadata("").size() < 50 && System.nanoTime() < deadline) {
      Thread.sleep(500);
    }
    Thread.sleep(2_500);
  }

  @AfterAll
  static void stop() throws Exception {
    stores.close();
    if (prometheus != null) {
      prometheus.close();
    }
  }

  static Map<String, List<MetricMetadata>> prometheusMetadata(String query) throws Exception {
    JsonNode data = prometheus.api("/api/v1/metadata" + query);
    Map<String, List<MetricMetadata>> out = new TreeMap<>();
    data.properties().forEach(f -> {
      List<MetricMetadata> entries = new ArrayList<>();
      f.getValue().forEach(m -> entries.add(new MetricMetadata(m.get("type").asText(), m.get("help").asText(),
          m.get("unit").asText())));
      out.put(f.getKey(), entries);
    });
    return out;
  }

  /**
   * Asserts that {@code ours} equals Prometheus' answer to {@code query}, read just before and just after; retried
   * while Prometheus' own answer changes between the two reads (a family can appear with any scrape).
   */
  static void assertAnswersAsPrometheus(String query, Supplier<MetricMetadataSet> ours) throws Exception {
    for (int attempt = 0; ; attempt++) {
      Map<String, List<MetricMetadata>> before = prometheusMetadata(query);
      MetricMetadataSet got = ours.get();
      Map<String, List<MetricMetadata>> after = prometheusMetadata(query);
      if (before.equals(after) || attempt == 5) {
        assertThat(got.warnings()).isEmpty();
        assertThat(new TreeMap<>(got.byMetric())).isEqualTo(after);
        return;
      }
      Thread.sleep(1_500);
    }
  }

  @Test
  void sidecarAnswersAsPrometheusAndAnnouncesTheApi() throws Exception {
    assertThat(sidecar.info().hasMetricMetadata()).isTrue();
    assertThat(prometheusMetadata("")).hasSizeGreaterThan(50);
    assertAnswersAsPrometheus("", () -> sidecar.metricMetadata("", -1, STRICT));
    Map<String, List<MetricMetadata>> one = prometheusMetadata("?metric=prometheus_build_info");
    assertThat(one).containsOnlyKeys("prometheus_build_info");
    assertThat(sidecar.metricMetadata("prometheus_build_info", -1, STRICT).byMetric()).isEqualTo(one);
    assertThat(sidecar.metricMetadata("", 3, STRICT).byMetric()).hasSize(3);
    assertThat(sidecar.metricMetadata("", 0, STRICT).byMetric()).isEmpty();
    assertThat(sidecar.metricMetadata("no_such_metric", -1, STRICT).byMetric()).isEmpty();
  }

  @Test
  void queriersMergeTheStoresAndStack() throws Exception {
    // Two sidecars of the same Prometheus: every entry once, as Prometheus has it.
    ProxyStore querier = stores.querier(List.of(stores.serve(sidecar), stores.serve(sidecar)));
    assertAnswersAsPrometheus("", () -> querier.metricMetadata("", -1, STRICT));
    assertThat(querier.metricMetadata("prometheus_build_info", -1, STRICT).byMetric())
        .isEqualTo(prometheusMetadata("?metric=prometheus_build_info"));
    assertThat(querier.metricMetadata("", 5, STRICT).byMetric()).hasSize(5);
    // A querier over that querier, through its own StoreAPI server.
    assertThat(querier.info().hasMetricMetadata()).isTrue();
    ProxyStore top = stores.querier(List.of(stores.serve(querier)));
    assertAnswersAsPrometheus("", () -> top.metricMetadata("", -1, STRICT));
  }

  @Test
  void targetsAreAsPrometheusShowsThemAndReplicasAreOne() throws Exception {
    assertThat(sidecar.info().hasTargets()).isTrue();
    JsonNode expected = prometheus.api("/api/v1/targets").path("activeTargets");
    TargetDiscovery got = sidecar.targets(null, STRICT);
    assertThat(got.active()).hasSize(expected.size()).hasSize(1);
    ActiveTarget t = got.active().get(0);
    assertThat(t.scrapePool()).isEqualTo("prometheus").isEqualTo(expected.get(0).path("scrapePool").asText());
    assertThat(t.scrapeUrl()).isEqualTo(expected.get(0).path("scrapeUrl").asText());
    assertThat(t.health()).isEqualTo("up");
    assertThat(t.labels().get("job")).isEqualTo("prometheus");
    assertThat(t.lastScrape()).isNotNull();
    assertThat(sidecar.targets("dropped", STRICT).active()).isEmpty();
    // Two sidecars of one Prometheus: one target through a querier.
    ProxyStore querier = stores.querier(List.of(stores.serve(sidecar), stores.serve(sidecar)));
    TargetDiscovery merged = querier.targets(null, STRICT);
    assertThat(merged.warnings()).isEmpty();
    assertThat(merged.active()).singleElement().satisfies(m -> assertThat(m.scrapeUrl()).isEqualTo(t.scrapeUrl()));
  }

  @Test
  void aFailingStoreIsAWarningOrAnErrorNamingIt() throws Exception {
    String good = stores.serve(sidecar);
    String doomed = stores.serve(sidecar);
    ProxyStore querier = stores.querier(List.of(good, doomed));
    stores.kill(doomed);
    MetricMetadataSet partial = querier.metricMetadata("prometheus_build_info", -1, PARTIAL);
    assertThat(partial.byMetric()).isEqualTo(prometheusMetadata("?metric=prometheus_build_info"));
    assertThat(partial.warnings()).singleElement().asString().contains("store " + doomed + " failed: UNAVAILABLE");
    assertThatThrownBy(() -> querier.metricMetadata("prometheus_build_info", -1, STRICT))
        .isInstanceOf(OrreryException.class).hasMessageContaining("store " + doomed + " failed");
  }
}
