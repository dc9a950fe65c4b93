package dev.orrery.storeapi.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.orrery.core.labels.Labels;
import dev.orrery.core.labels.Matcher;
import dev.orrery.core.storage.Exemplar;
import dev.orrery.core.storage.ExemplarQuery;
import dev.orrery.core.storage.ExemplarSeries;
import dev.orrery.core.storage.ExemplarSet;
import dev.orrery.core.storage.StoreOptions;
import dev.orrery.core.testing.PrometheusProcess;
import dev.orrery.storeapi.InProcessStores;
import dev.orrery.storeapi.proxy.ProxyStore;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exemplars API against two real Prometheus 2.42 replicas (exemplar storage on) scraping one OpenMetrics target
 * on loopback whose counters carry exemplars: each sidecar answers as its Prometheus does, with the external labels,
 * and a querier over both merges the replicas' series and their common exemplars.
 */
@Tag("interop")
class SidecarExemplarsTest {
  static final long T1 = (System.currentTimeMillis() / 1000 - 120) * 1000 + 250;
  static final long T2 = T1 + 30_000;
  static final StoreOptions STRICT = new StoreOptions(null, null, false, null);
  @TempDir static Path tmp;
  static HttpServer target;
  static final List<PrometheusProcess> prometheis = new ArrayList<>();
  static final List<SidecarStore> sidecars = new ArrayList<>();
  static final InProcessStores stores = new InProcessStores();

  @BeforeAll
  static void start() throws Exception {
    byte[] body = ("# HELP req Requests served.\n# TYPE req counter\n"
        + "req_total{path=\"/a\"} 5 # {trace_id=\"abc\"} 1.5 " + seconds(T1) + "\n"
        + "req_total{path=\"/b\"} 7 # {trace_id=\"def\"} 2.5 " + seconds(T2) + "\n# EOF\n")
        .getBytes(StandardCharsets.UTF_8);
    target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    target.createContext("/metrics", x -> {
      x.getResponseHeaders().set("Content-Type", "application/openmetrics-text; version=1.0.0; charset=utf-8");
      x.sendResponseHeaders(200, body.length);
      x.getResponseBody().write(body);
      x.close();
    });
    target.start();
    for (String replica : List.of("a", "b")) {
      PrometheusProcess p = PrometheusProcess.startScraping(tmp, tmp.resolve("prom-" + replica),
          Map.of("cluster", "eu", "replica", replica), "127.0.0.1:" + target.getAddress().getPort(),
          "--enable-feature=exemplar-storage");
      prometheis.add(p);
      SidecarStore s = new SidecarStore(new PrometheusClient(p.url(), HttpClient.newHttpClient(),
          Duration.ofSeconds(30)), null);
      s.refresh();
      sidecars.add(s);
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    for (PrometheusProcess p : prometheis) {
      while (prometheusExemplars(p).size() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
    }
  }

  @AfterAll
  static void stop() throws Exception {
    stores.close();
    for (PrometheusProcess p : prometheis) {
      p.close();
    }
    if (target != null) {
      target.stop(0);
    }
  }

  static String seconds(long millis) {
    return java.math.BigDecimal.valueOf(millis, 3).toPlainString();
  }

  /** Prometheus' own answer for {@code req_total} over the last hour, as our types. */
  static List<ExemplarSeries> prometheusExemplars(PrometheusProcess p) throws Exception {
    JsonNode data = p.api("/api/v1/query_exemplars?query=req_total&start=" + seconds(T1 - 3_600_000) + "&end="
        + seconds(T2 + 3_600_000));
    List<ExemplarSeries> out = new ArrayList<>();
    for (JsonNode s : data) {
      List<Exemplar> exemplars = new ArrayList<>();
      for (JsonNode e : s.path("exemplars")) {
        exemplars.add(new Exemplar(labels(e.path("labels")), Double.parseDouble(e.path("value").asText()),
            e.path("timestamp").decimalValue().movePointRight(3).longValue()));
      }
      out.add(new ExemplarSeries(labels(s.path("seriesLabels")), exemplars));
    }
    return out;
  }

  static Labels labels(JsonNode object) {
    Map<String, String> m = new java.util.TreeMap<>();
    object.properties().forEach(e -> m.put(e.getKey(), e.getValue().asText()));
    return Labels.of(m);
  }

  static ExemplarQuery query(String query, List<List<Matcher>> selectors) {
    return new ExemplarQuery(query, selectors, T1 - 3_600_000, T2 + 3_600_000);
  }

  @Test
  void sidecarAnswersAsPrometheusWithExternalLabels() throws Exception {
    SidecarStore sidecar = sidecars.get(0);
    assertThat(sidecar.info().getExemplars().getMaxTime()).isEqualTo(Long.MAX_VALUE);
    List<ExemplarSeries> expected = prometheusExemplars(prometheis.get(0));
    assertThat(expected).hasSize(2);
    Labels ext = Labels.of("cluster", "eu", "replica", "a");
    List<ExemplarSeries> withExt = expected.stream()
        .map(s -> new ExemplarSeries(s.seriesLabels().withAll(ext), s.exemplars())).toList();
    ExemplarSet got = sidecar.exemplars(query("req_total", List.of()), STRICT);
    assertThat(got.series()).isEqualTo(withExt);
    assertThat(got.series().get(0).exemplars()).containsExactly(new Exemplar(Labels.of("trace_id", "abc"), 1.5, T1));
    // Matchers on external labels are answered by the sidecar.
    Matcher name = Matcher.equal("__name__", "req_total");
    assertThat(sidecar.exemplars(query("req_total{cluster=\"eu\"}", List.of(List.of(name,
        Matcher.equal("cluster", "eu")))), STRICT).series()).isEqualTo(withExt);
    assertThat(sidecar.exemplars(query("req_total{cluster=\"us\"}", List.of(List.of(name,
        Matcher.equal("cluster", "us")))), STRICT).series()).isEmpty();
  }

  @Test
  void querierMergesTheReplicasSeriesAndTheirCommonExemplars() throws Exception {
    ProxyStore querier = stores.querier(List.of(stores.serve(sidecars.get(0)), stores.serve(sidecars.get(1))));
    List<List<Matcher>> selectors = List.of(List.of(Matcher.equal("__name__", "req_total"),
        Matcher.equal("cluster", "eu")));
    ExemplarSet merged = querier.exemplars(query("req_total{cluster=\"eu\"}", selectors),
        new StoreOptions(null, List.of("replica"), false, null));
    assertThat(merged.warnings()).isEmpty();
    assertThat(merged.series()).extracting(ExemplarSeries::seriesLabels).allSatisfy(l -> {
      assertThat(l.get("cluster")).isEqualTo("eu");
      assertThat(l.has("replica")).isFalse();
    });
    assertThat(merged.series()).extracting(s -> s.exemplars()).containsExactly(
        List.of(new Exemplar(Labels.of("trace_id", "abc"), 1.5, T1)),
        List.of(new Exemplar(Labels.of("trace_id", "def"), 2.5, T2)));
    assertThat(querier.exemplars(query("req_total", List.of()), STRICT).series()).hasSize(4);
    // Stacked, and pruned by external labels.
    ProxyStore top = stores.querier(List.of(stores.serve(querier)));
    assertThat(top.exemplars(query("req_total", List.of()), STRICT).series()).hasSize(4);
    assertThat(querier.exemplars(query("req_total{cluster=\"us\"}", List.of(List.of(
        Matcher.equal("__name__", "req_total"), Matcher.equal("cluster", "us")))), STRICT).series()).isEmpty();
  }
}
