package dev.orrery.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orrery.core.OrreryException;
import dev.orrery.core.block.Block;
import dev.orrery.core.block.BlockMeta;
import dev.orrery.core.block.BlockWriter;
import dev.orrery.core.chunk.SampleIterator;
import dev.orrery.core.chunk.ValueType;
import dev.orrery.core.labels.Labels;
import dev.orrery.core.labels.LabelsBuilder;
import dev.orrery.core.labels.Matcher;
import dev.orrery.core.storage.Querier;
import dev.orrery.core.storage.SelectHints;
import dev.orrery.core.storage.SeriesSet;
import dev.orrery.core.testing.Environment;
import dev.orrery.objstore.InMemoryBucket;
import dev.orrery.objstore.block.BlockBucket;
import dev.orrery.promql.http.ListedQueries;
import dev.orrery.storeapi.PrometheusProcess;
import dev.orrery.storeapi.StoreServices;
import dev.orrery.storeapi.gateway.BucketStore;
import dev.orrery.storeapi.proxy.EndpointSet;
import dev.orrery.storeapi.proxy.ProxyQueryable;
import dev.orrery.storeapi.sidecar.PrometheusClient;
import dev.orrery.storeapi.sidecar.SidecarStore;
import dev.orrery.storeapi.tls.TestCertificates;
import io.grpc.Server;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 5, acceptance 1 to 3: the harness data set split by {@code cluster} and {@code prometheus_replica}, whose
 * {@code cluster}, {@code environment} and {@code prometheus_replica} labels become external labels. Real Prometheus
 * 2.42 processes serve the last four hours of three (cluster, replica) pairs, each behind an Orrery sidecar; the
 * first four hours of every pair (and the last two of the pairs without a sidecar) sit in a bucket behind a store
 * gateway, so sidecar and gateway overlap by two hours. Every gRPC hop uses mutual TLS with certificates made at test
 * time. Queriers fan out to all four endpoints with {@code --query.replica-label=prometheus_replica}.
 */
@Tag("interop")
@Tag("e2e")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultiClusterEndToEndTest {
  private static final Set<String> EXTERNAL = Set.of("cluster", "environment", "prometheus_replica");
  private static final List<String> SIDECAR_PAIRS = List.of("dev/prometheus-0", "prod/prometheus-0",
      "prod/prometheus-1");
  private static final long H = 3_600_000L;

  static Path work;
  static Path refWork;
  static URI reference;
  static Path harnessBlocks;
  static long dataStart;
  static long dataEnd;
  static final ExecutorService exec = Executors.newVirtualThreadPerTaskExecutor();
  static final List<AutoCloseable> closeables = new ArrayList<>();
  static final List<PrometheusProcess> prometheis = new ArrayList<>();
  static final Map<String, Server> sidecarServers = new TreeMap<>();
  static Server gatewayServer;
  static GrpcOptions clientTls;
  static List<String> endpoints = new ArrayList<>();
  /** Original series (with all labels) to their raw samples (timestamp to value bits). */
  static final Map<Labels, TreeMap<Long, Long>> truth = new HashMap<>();
  static QueryApiLauncher baseline;
  static FanOutQueryLauncher queryNoDedup;

  @BeforeAll
  static void setUp() throws Exception {
    Path python = Environment.python3();
    Environment.prometheus();
    Path harness = Environment.sharedDir().resolve("harness");
    work = Environment.projectRoot().resolve("examples/target/e2e");
    deleteRecursively(work);
    Files.createDirectories(work);
    refWork = Environment.projectRoot().resolve("examples/target/e2e-promref");
    int refPort = PrometheusProcess.freePort();
    ProcessBuilder pb = new ProcessBuilder("bash", harness.resolve("start_reference.sh").toString())
        .redirectErrorStream(true).redirectOutput(work.resolve("start_reference.log").toFile());
    pb.environment().put("REF_WORK", refWork.toString());
    pb.environment().put("PORT", String.valueOf(refPort));
    pb.environment().put("SCALE", "1");
    pb.environment().put("HOURS", "6");
    pb.environment().put("PATH", python.getParent() + ":" + System.getenv("PATH"));
    Process p = pb.start();
    assertThat(p.waitFor(600, TimeUnit.SECONDS)).as("start_reference.sh finished").isTrue();
    assertThat(p.exitValue()).as("start_reference.sh: " + Files.readString(work.resolve("start_reference.log")))
        .isZero();
    reference = URI.create("http://127.0.0.1:" + refPort);
    harnessBlocks = refWork.resolve("blocks");

    // Certificates for mutual TLS on every hop.
    Path certs = Files.createDirectories(work.resolve("certs"));
    TestCertificates.Ca ca = TestCertificates.ca(certs, "e2e");
    TestCertificates.Issued serverCert = TestCertificates.issue(ca, certs, "store");
    TestCertificates.Issued clientCert = TestCertificates.issue(ca, certs, "querier");
    GrpcOptions serverTls = new GrpcOptions();
    serverTls.grpcAddress = "127.0.0.1:0";
    serverTls.serverCert = serverCert.certFile();
    serverTls.serverKey = serverCert.keyFile();
    serverTls.serverClientCa = ca.certFile();
    clientTls = new GrpcOptions();
    clientTls.grpcAddress = "127.0.0.1:0";
    clientTls.clientSecure = true;
    clientTls.clientCert = clientCert.certFile();
    clientTls.clientKey = clientCert.keyFile();
    clientTls.clientCa = ca.certFile();

    // Split the harness blocks by (cluster, replica).
    InMemoryBucket bucket = new InMemoryBucket();
    BlockBucket blockBucket = new BlockBucket(bucket, Clock.systemUTC());
    List<Path> blocks = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(harnessBlocks)) {
      for (Path b : ds) {
        if (Files.exists(b.resolve("meta.json"))) {
          blocks.add(b);
        }
      }
    }
    blocks.sort(null);
    dataStart = Long.MAX_VALUE;
    dataEnd = Long.MIN_VALUE;
    for (Path b : blocks) {
      BlockMeta m = BlockMeta.read(b);
      dataStart = Math.min(dataStart, m.minTimeMillis());
      dataEnd = Math.max(dataEnd, m.maxTimeMillis());
    }
    Path staging = Files.createDirectories(work.resolve("staging"));
    for (Path b : blocks) {
      BlockMeta meta = BlockMeta.read(b);
      boolean recent = meta.minTimeMillis() >= dataStart + 2 * H;
      boolean old = meta.maxTimeMillis() <= dataStart + 4 * H;
      Map<String, BlockWriter> forBucket = new TreeMap<>();
      Map<String, BlockWriter> forPrometheus = new TreeMap<>();
      try (Block block = Block.open(b); Querier q = block.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
        SeriesSet ss = q.select(false, null, Matcher.regex("__name__", ".+"));
        while (ss.next()) {
          Labels l = ss.at().labels();
          String pair = l.get("cluster") + "/" + l.get("prometheus_replica");
          Map<String, String> ext = new TreeMap<>(Map.of("cluster", l.get("cluster"), "environment",
              l.get("environment"), "prometheus_replica", l.get("prometheus_replica")));
          Labels local = l.toBuilder().delete(EXTERNAL.toArray(new String[0])).build();
          TreeMap<Long, Long> samples = truth.computeIfAbsent(l, k -> new TreeMap<>());
          SampleIterator it = ss.at().iterator(null);
          BlockWriter toBucket = null;
          BlockWriter toProm = null;
          boolean sidecarPair = SIDECAR_PAIRS.contains(pair);
          if (old || !sidecarPair) {
            toBucket = forBucket.computeIfAbsent(pair, k -> BlockWriter.builder(staging).externalLabels(ext)
                .build());
          }
          if (sidecarPair && recent) {
            Path dir = promDir(pair);
            toProm = forPrometheus.computeIfAbsent(pair, k -> BlockWriter.builder(dir).build());
          }
          while (it.next() == ValueType.FLOAT) {
            samples.put(it.atT(), Double.doubleToRawLongBits(it.atV()));
            if (toBucket != null) {
              toBucket.append(local, it.atT(), it.atV());
            }
            if (toProm != null) {
              toProm.append(local, it.atT(), it.atV());
            }
          }
        }
      }
      for (BlockWriter w : forBucket.values()) {
        BlockMeta written = w.commit();
        blockBucket.upload(staging.resolve(written.ulid().toString()));
      }
      for (BlockWriter w : forPrometheus.values()) {
        w.commit();
      }
    }

    // Store gateway.
    BucketStore store = BucketStore.builder(bucket, work.resolve("gateway")).executor(exec).build();
    store.sync();
    closeables.add(store);
    gatewayServer = serverTls.startServer(StoreServices.of(store, exec), exec);
    endpoints.add("127.0.0.1:" + gatewayServer.getPort());

    // Prometheus processes with sidecars.
    HttpClient http = HttpClient.newBuilder().executor(exec).build();
    for (String pair : SIDECAR_PAIRS) {
      String[] cr = pair.split("/");
      Map<String, String> ext = Map.of("cluster", cr[0], "environment", environmentOf(cr[0]),
          "prometheus_replica", cr[1]);
      PrometheusProcess prom = PrometheusProcess.start(work, promDir(pair), ext);
      prometheis.add(prom);
      SidecarStore sidecar = new SidecarStore(new PrometheusClient(prom.url(), http, Duration.ofMinutes(1)),
          promDir(pair));
      sidecar.refresh();
      Server s = serverTls.startServer(StoreServices.of(sidecar, exec), exec);
      sidecarServers.put(pair, s);
      endpoints.add("127.0.0.1:" + s.getPort());
    }

    // Queriers: the engine over the original blocks (baseline), and the fan-out without deduplication.
    QueryApiLauncher.Settings settings = new QueryApiLauncher.Settings("127.0.0.1:0", Duration.ofMinutes(5),
        Duration.ofMinutes(2), 50_000_000);
    baseline = QueryApiLauncher.start(harnessBlocks, settings);
    queryNoDedup = FanOutQueryLauncher.start(settings, new FanOutQueryLauncher.FanOutSettings(endpoints, null,
        List.of("prometheus_replica"), false, true, Duration.ofMinutes(2), Duration.ofMinutes(10), false),
        clientTls);
  }

  static String environmentOf(String cluster) {
    return switch (cluster) {
      case "dev" -> "development";
      case "staging" -> "staging";
      default -> "production";
    };
  }

  static Path promDir(String pair) throws java.io.IOException {
    return Files.createDirectories(work.resolve("prom-" + pair.replace('/', '-')));
  }

  @AfterAll
  static void tearDown() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {queryNoDedup, baseline}) {
      if (c != null) {
        c.close();
      }
    }
    for (Server s : sidecarServers.values()) {
      s.shutdownNow();
    }
    if (gatewayServer != null) {
      gatewayServer.shutdownNow();
    }
    for (AutoCloseable c : closeables) {
      c.close();
    }
    for (PrometheusProcess p : prometheis) {
      p.close();
    }
    if (refWork != null) {
      ProcessBuilder pb = new ProcessBuilder("bash", Environment.sharedDir().resolve("harness/stop_reference.sh")
          .toString()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
      pb.environment().put("REF_WORK", refWork.toString());
      pb.start().waitFor(60, TimeUnit.SECONDS);
    }
    exec.close();
  }

  static void deleteRecursively(Path p) throws java.io.IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (var s = Files.walk(p)) {
      for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(x);
      }
    }
  }

  static JsonNode compare(String a, String b, String name) throws Exception {
    Path harness = Environment.sharedDir().resolve("harness");
    Path report = work.resolve(name + ".json");
    Path log = work.resolve(name + ".log");
    Process p = new ProcessBuilder(Environment.python3().toString(), harness.resolve("compare.py").toString(),
        "--a", a, "--b", b, "--queries", harness.resolve("queries.txt").toString(), "--manifest",
        refWork.resolve("manifest.json").toString(), "--jobs", "2", "--json-report", report.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    assertThat(p.waitFor(1200, TimeUnit.SECONDS)).as("compare.py " + name + " finished").isTrue();
    assertThat(Files.exists(report)).as("compare.py " + name + " wrote a report: " + Files.readString(log)).isTrue();
    return new ObjectMapper().readTree(report.toFile());
  }

  static Set<String> failing(JsonNode report) {
    Set<String> out = new TreeSet<>();
    for (JsonNode r : report.path("results")) {
      if (!r.path("pass").asBoolean()) {
        out.add(r.path("query").asText());
      }
    }
    return out;
  }

  @Test
  @Order(1)
  void withoutDedupTheQuerierAnswersLikeTheEngineOverTheOriginalBlocks() throws Exception {
    JsonNode sameEngine = compare(baseline.url(), queryNoDedup.url(), "baseline-vs-querier");
    assertThat(failing(sameEngine)).as("queries where the fan-out differs from the same engine over the blocks")
        .isEmpty();
    assertThat(sameEngine.path("passed").asInt()).isGreaterThan(150);
  }

  @Test
  @Order(2)
  void withoutDedupTheQuerierAnswersLikeTheReferencePrometheus() throws Exception {
    Map<String, String> documented = ListedQueries.prometheus2Differences();
    JsonNode vsReference = compare(reference.toString(), queryNoDedup.url(), "reference-vs-querier");
    Set<String> compared = new TreeSet<>();
    vsReference.path("results").forEach(r -> compared.add(r.path("query").asText()));
    assertThat(compared).as("compare.py ran every query of queries.txt").hasSize(queries().size());
    assertThat(documented.keySet()).as("documented differences are queries of queries.txt").isSubsetOf(compared);
    // Only a documented 2.x -> 3.x difference may make the fan-out's answer differ from Prometheus 2.42's; every
    // other query passes all five cases.
    Set<String> failed = failing(vsReference);
    Set<String> stale = new TreeSet<>(documented.keySet());
    stale.removeAll(failed);
    System.out.printf("reference vs querier without dedup: %d queries, %d passed, %d failed (all documented: %s)%s%n",
        compared.size(), compared.size() - failed.size(), failed.size(), documented.keySet().containsAll(failed),
        stale.isEmpty() ? "" : "; documented but passing: " + stale);
    assertThat(failed).as("queries that differ from Prometheus 2.42 without a documented 2.x -> 3.x reason")
        .isSubsetOf(documented.keySet());
  }

  /** A query of queries.txt: its line, its text, and the text sent ({@code ${START}} etc. replaced). */
  record Query(int line, String raw, String text) {}

  /** The queries of queries.txt, placeholders replaced as compare.py does (integer seconds of S, M, E). */
  static List<Query> queries() throws java.io.IOException {
    long s = manifestLong("start_ms");
    long e = manifestLong("end_ms");
    Map<String, String> vars = Map.of("START", Long.toString(s / 1000), "END", Long.toString(e / 1000), "MID",
        Long.toString((s + e) / 2 / 1000));
    List<String> lines = Files.readAllLines(Environment.sharedDir().resolve("harness/queries.txt"),
        StandardCharsets.UTF_8);
    List<Query> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String q = lines.get(i).strip();
      if (q.isEmpty() || q.startsWith("#")) {
        continue;
      }
      String text = q;
      for (Map.Entry<String, String> v : vars.entrySet()) {
        text = text.replace("${" + v.getKey() + "}", v.getValue());
      }
      out.add(new Query(i + 1, q, text));
    }
    return out;
  }

  static long manifestLong(String field) throws java.io.IOException {
    return new ObjectMapper().readTree(refWork.resolve("manifest.json").toFile()).path(field).asLong();
  }

  static String base(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  static SelectHints hints(boolean dedup, boolean partial) {
    return new SelectHints(dataStart, dataEnd, 0, "", 0, List.of(), false, dedup, List.of(), partial, 0);
  }

  ProxyQueryable queryable(boolean partial) throws Exception {
    EndpointSet set = new EndpointSet(endpoints, null, clientTls.channels(exec), Duration.ofSeconds(10));
    set.refresh();
    closeables.add(set);
    return new ProxyQueryable(set, Duration.ofMinutes(1), List.of("prometheus_replica"), true, partial);
  }

  @Test
  @Order(3)
  void withDedupEveryValueComesFromAReplicaAndSingleReplicaSelectionsAreExact() throws Exception {
    // Group the original series by their labels without the replica label.
    Map<Labels, List<TreeMap<Long, Long>>> replicas = new HashMap<>();
    Map<Labels, TreeMap<Long, Long>> replica1 = new HashMap<>();
    for (Map.Entry<Labels, TreeMap<Long, Long>> e : truth.entrySet()) {
      Labels without = e.getKey().toBuilder().delete("prometheus_replica").build();
      replicas.computeIfAbsent(without, k -> new ArrayList<>()).add(e.getValue());
      if (e.getKey().get("prometheus_replica").equals("prometheus-1")) {
        replica1.put(without, e.getValue());
      }
    }
    ProxyQueryable q = queryable(false);
    try (Querier querier = q.querier(dataStart, dataEnd)) {
      SeriesSet ss = querier.select(true, hints(true, false), Matcher.regex("__name__", ".+"));
      int series = 0;
      long samples = 0;
      while (ss.next()) {
        Labels l = ss.at().labels();
        assertThat(l.has("prometheus_replica")).isFalse();
        List<TreeMap<Long, Long>> rs = replicas.get(l);
        assertThat(rs).as("deduplicated series %s exists in the data", l).isNotNull();
        SampleIterator it = ss.at().iterator(null);
        long prev = Long.MIN_VALUE;
        while (it.next() == ValueType.FLOAT) {
          long t = it.atT();
          long bits = Double.doubleToRawLongBits(it.atV());
          assertThat(t).isGreaterThan(prev);
          prev = t;
          boolean fromReplica = false;
          for (TreeMap<Long, Long> r : rs) {
            Long v = r.get(t);
            fromReplica |= v != null && v == bits;
          }
          assertThat(fromReplica).as("%s at %d: value %s is one replica's value", l, t, it.atV()).isTrue();
          samples++;
        }
        series++;
      }
      assertThat(series).isEqualTo(replicas.size());
      assertThat(samples).isPositive();

      SeriesSet one = querier.select(true, hints(true, false), Matcher.regex("__name__", ".+"),
          Matcher.equal("prometheus_replica", "prometheus-1"));
      int n = 0;
      while (one.next()) {
        TreeMap<Long, Long> want = replica1.get(one.at().labels());
        assertThat(want).isNotNull();
        TreeMap<Long, Long> got = new TreeMap<>();
        SampleIterator it = one.at().iterator(null);
        while (it.next() == ValueType.FLOAT) {
          got.put(it.atT(), Double.doubleToRawLongBits(it.atV()));
        }
        assertThat(got).as("replica-1 series %s", one.at().labels()).isEqualTo(want);
        n++;
      }
      assertThat(n).isEqualTo(replica1.size());
    }
  }

  @Test
  @Order(4)
  void stitchingSidecarAndGatewayLeavesNoGapAndNoDoubleCount() throws Exception {
    ProxyQueryable q = queryable(false);
    try (Querier querier = q.querier(dataStart, dataEnd)) {
      SeriesSet ss = querier.select(true, hints(false, false), Matcher.regex("__name__", ".+"),
          Matcher.equal("cluster", "prod"), Matcher.equal("prometheus_replica", "prometheus-0"));
      int n = 0;
      while (ss.next()) {
        TreeMap<Long, Long> got = new TreeMap<>();
        SampleIterator it = ss.at().iterator(null);
        int count = 0;
        while (it.next() == ValueType.FLOAT) {
          got.put(it.atT(), Double.doubleToRawLongBits(it.atV()));
          count++;
        }
        assertThat(count).as("no sample counted twice").isEqualTo(got.size());
        assertThat(got).isEqualTo(truth.get(ss.at().labels()));
        n++;
      }
      assertThat(n).isPositive();
    }
  }

  @Test
  @Order(10)
  void killedSidecarBecomesAWarningOrAnError() throws Exception {
    Server victim = sidecarServers.get("dev/prometheus-0");
    String address = "127.0.0.1:" + victim.getPort();
    ProxyQueryable warn = queryable(true);
    ProxyQueryable abort = queryable(false);
    victim.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);

    try (Querier querier = warn.querier(dataStart, dataEnd)) {
      SeriesSet ss = querier.select(true, hints(false, true), Matcher.equal("__name__", "up"));
      int n = 0;
      while (ss.next()) {
        n++;
      }
      assertThat(n).isPositive();
      assertThat(ss.warnings()).anySatisfy(w -> assertThat(w).contains(address));
    }
    try (Querier querier = abort.querier(dataStart, dataEnd)) {
      assertThatThrownBy(() -> {
        SeriesSet ss = querier.select(true, hints(false, false), Matcher.equal("__name__", "up"));
        while (ss.next()) {
          ss.at();
        }
      }).isInstanceOf(OrreryException.class).hasMessageContaining("store " + address + " failed");
    }
    // Through the HTTP API: /api/v1/series reports the warning; a query with partial response off fails naming it.
    HttpClient http = HttpClient.newHttpClient();
    String series = http.send(HttpRequest.newBuilder(URI.create(base(queryNoDedup.url()) + "/api/v1/series?match[]="
        + URLEncoder.encode("up{cluster=\"dev\"}", StandardCharsets.UTF_8) + "&start=" + dataStart / 1000
        + "&end=" + dataEnd / 1000)).build(), HttpResponse.BodyHandlers.ofString()).body();
    assertThat(series).contains("\"warnings\"").contains(address);
    // A PromQL query answers with the other stores' data plus a warning naming the dead endpoint ...
    String countUp = base(queryNoDedup.url()) + "/api/v1/query?query="
        + URLEncoder.encode("count(up{cluster=\"dev\"})", StandardCharsets.UTF_8) + "&time=" + (dataEnd / 1000 - 60);
    HttpResponse<String> partial = http.send(HttpRequest.newBuilder(URI.create(countUp)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(partial.statusCode()).as(partial.body()).isEqualTo(200);
    assertThat(partial.body()).contains("\"status\":\"success\"").contains("\"warnings\"").contains(address);
    // ... and fails naming it when the request asks for partial_response=false.
    HttpResponse<String> aborted = http.send(HttpRequest.newBuilder(URI.create(countUp + "&partial_response=false"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(aborted.statusCode()).as(aborted.body()).isGreaterThanOrEqualTo(400);
    assertThat(aborted.body()).contains(address);
    QueryApiLauncher.Settings settings = new QueryApiLauncher.Settings("127.0.0.1:0", Duration.ofMinutes(5),
        Duration.ofMinutes(2), 50_000_000);
    try (FanOutQueryLauncher strict = FanOutQueryLauncher.start(settings, new FanOutQueryLauncher.FanOutSettings(
        endpoints, null, List.of("prometheus_replica"), false, false, Duration.ofMinutes(1), Duration.ofMinutes(10),
        false), clientTls)) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base(strict.url()) + "/api/v1/query?query="
          + URLEncoder.encode("count(up)", StandardCharsets.UTF_8) + "&time=" + (dataEnd / 1000 - 60))).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isGreaterThanOrEqualTo(400);
      assertThat(r.body()).contains(address);
    }
  }
}
