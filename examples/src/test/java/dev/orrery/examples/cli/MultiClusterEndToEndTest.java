package dev.orrery.examples.cli;

import static dev.orrery.examples.cli.DedupConformance.FROM_P0;
import static dev.orrery.examples.cli.DedupConformance.FROM_P1;
import static dev.orrery.examples.cli.DedupConformance.ask;
import static dev.orrery.examples.cli.DedupConformance.close;
import static dev.orrery.examples.cli.DedupConformance.millis;
import static dev.orrery.examples.cli.DedupConformance.reads;
import static dev.orrery.examples.cli.DedupConformance.seconds;
import static dev.orrery.examples.cli.DedupConformance.selectsOneReplica;
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
import dev.orrery.core.testing.PrometheusProcess;
import dev.orrery.examples.cli.DedupConformance.Answer;
import dev.orrery.examples.cli.DedupConformance.Case;
import dev.orrery.examples.cli.DedupConformance.Point;
import dev.orrery.examples.cli.DedupConformance.Provenance;
import dev.orrery.examples.cli.DedupConformance.RecordingQueryable;
import dev.orrery.objstore.InMemoryBucket;
import dev.orrery.objstore.block.BlockBucket;
import dev.orrery.promql.ast.Expr;
import dev.orrery.promql.engine.Engine;
import dev.orrery.promql.http.ApiServer;
import dev.orrery.promql.http.EngineQueryEvaluator;
import dev.orrery.promql.http.ListedQueries;
import dev.orrery.promql.http.PrometheusApiHandler;
import dev.orrery.promql.parser.PromqlParser;
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
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
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
 * time, and requests are snappy-compressed as Thanos' {@code --grpc-compression=snappy} sends them. Queriers fan out to all four endpoints with {@code --query.replica-label=prometheus_replica}.
 *
 * <p>Per query of {@code ../shared/harness/queries.txt}, with compare.py's five default cases (three instants, two
 * ranges):
 *
 * <ul>
 *   <li>dedup off: compare.py finds the querier's answers equal to the reference Prometheus holding the whole data
 *       set, except the documented 2.x to 3.x differences ({@link ListedQueries#prometheus2Differences()});
 *   <li>dedup on: a query whose selectors all pin one {@code prometheus_replica} equals the reference's answer; any
 *       other query answers only with values one replica gives at that point (each replica answering through the
 *       same engine over its own samples), unless it is listed in {@value #MIXING_RESOURCE} as legitimately mixing
 *       replicas. For those, the raw samples the engine read are traced: they must be replica samples (or, for counter
 *       functions, replica samples lifted by the counter adjustment), and a point whose input is exactly one
 *       replica's samples must equal that replica's value.
 * </ul>
 */
@Tag("interop")
@Tag("e2e")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultiClusterEndToEndTest {
  private static final Set<String> EXTERNAL = Set.of("cluster", "environment", "prometheus_replica");
  private static final List<String> SIDECAR_PAIRS = List.of("dev/prometheus-0", "prod/prometheus-0",
      "prod/prometheus-1");
  private static final List<String> REPLICAS = List.of("prometheus-0", "prometheus-1");
  private static final long H = 3_600_000L;
  /** The queriers' lookback delta (Prometheus' default), in milliseconds. */
  private static final long LOOKBACK = 300_000L;

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
  static FanOutQueryLauncher queryDedup;
  static final Map<String, QueryApiLauncher> replicaApis = new TreeMap<>();

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
    // Requests compressed as a Thanos querier with --grpc-compression=snappy sends them.
    clientTls.compression = "snappy";

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
    for (String r : REPLICAS) {
      replicaDir(r);
    }
    for (Path b : blocks) {
      BlockMeta meta = BlockMeta.read(b);
      boolean recent = meta.minTimeMillis() >= dataStart + 2 * H;
      boolean old = meta.maxTimeMillis() <= dataStart + 4 * H;
      Map<String, BlockWriter> forBucket = new TreeMap<>();
      Map<String, BlockWriter> forPrometheus = new TreeMap<>();
      Map<String, BlockWriter> forReplica = new TreeMap<>();
      try (Block block = Block.open(b); Querier q = block.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
        SeriesSet ss = q.select(false, null, Matcher.regex("__name__", ".+"));
        while (ss.next()) {
          Labels l = ss.at().labels();
          String pair = l.get("cluster") + "/" + l.get("prometheus_replica");
          Map<String, String> ext = new TreeMap<>(Map.of("cluster", l.get("cluster"), "environment",
              l.get("environment"), "prometheus_replica", l.get("prometheus_replica")));
          Labels local = l.toBuilder().delete(EXTERNAL.toArray(new String[0])).build();
          TreeMap<Long, Long> samples = truth.computeIfAbsent(l, k -> new TreeMap<>());
          String replica = l.get("prometheus_replica");
          BlockWriter toReplica = forReplica.computeIfAbsent(replica, r -> BlockWriter.builder(
              work.resolve("replica-" + r)).build());
          Labels withoutReplica = l.toBuilder().delete("prometheus_replica").build();
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
            toReplica.append(withoutReplica, it.atT(), it.atV());
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
      for (BlockWriter w : forReplica.values()) {
        w.commit();
      }
    }

    // Store gateway.
    BucketStore store = BucketStore.builder(bucket, work.resolve("gateway")).executor(exec).build();
    store.sync();
    closeables.add(store);
    gatewayServer = serverTls.startServer(store, exec, new SelfMetrics());
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
      Server s = serverTls.startServer(sidecar, exec, new SelfMetrics());
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
    queryDedup = FanOutQueryLauncher.start(settings, new FanOutQueryLauncher.FanOutSettings(endpoints, null,
        List.of("prometheus_replica"), true, true, Duration.ofMinutes(2), Duration.ofMinutes(10), false),
        clientTls);
    // What each replica answers: the same engine over that replica's samples alone (the very samples its sidecar and
    // the gateway serve), its replica label dropped as deduplication drops it, so series line up with the
    // deduplicated answer. Independent of the code under test: no StoreAPI, no deduplication.
    for (String r : REPLICAS) {
      replicaApis.put(r, QueryApiLauncher.start(replicaDir(r), settings));
    }
  }

  static Path replicaDir(String replica) throws java.io.IOException {
    return Files.createDirectories(work.resolve("replica-" + replica));
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
    List<AutoCloseable> apis = new ArrayList<>(replicaApis.values());
    apis.add(queryDedup);
    apis.add(queryNoDedup);
    apis.add(baseline);
    for (AutoCloseable c : apis) {
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
    // The cases the dedup check below uses are compare.py's own.
    List<Long> times = new ArrayList<>();
    vsReference.path("times").forEach(t -> times.add(Math.round(t.asDouble() * 1000)));
    List<List<Long>> ranges = new ArrayList<>();
    vsReference.path("ranges").forEach(r -> ranges.add(List.of(Math.round(r.get(0).asDouble() * 1000),
        Math.round(r.get(1).asDouble() * 1000), Math.round(r.get(2).asDouble() * 1000))));
    assertThat(times).isEqualTo(instantTimes());
    assertThat(ranges).isEqualTo(this.ranges().stream().map(r -> List.of(r[0], r[1], r[2])).toList());

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
    EndpointSet set = new EndpointSet(endpoints, null, clientTls.channels(exec, new SelfMetrics()), Duration.ofSeconds(10));
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

  // ---------------------------------------------------------------- per-query dedup conformance over HTTP

  /** compare.py's default instant times with a manifest: S+2h17s, M+61.123s, E-30s (milliseconds). */
  List<Long> instantTimes() throws java.io.IOException {
    long s = manifestLong("start_ms");
    long e = manifestLong("end_ms");
    long m = (s + e) / 2;
    return List.of(s + 2 * H + 17_000, m + 61_123, e - 30_000);
  }

  /** compare.py's default ranges with a manifest: M-1h..M+1h step 60s, M+13s..M+20m13s step 37s (start, end, step). */
  List<long[]> ranges() throws java.io.IOException {
    long m = (manifestLong("start_ms") + manifestLong("end_ms")) / 2;
    return List.of(new long[] {m - H, m + H, 60_000}, new long[] {m + 13_000, m + 20 * 60_000 + 13_000, 37_000});
  }

  List<Case> cases() throws java.io.IOException {
    List<Case> out = new ArrayList<>();
    for (long t : instantTimes()) {
      out.add(new Case("instant@" + seconds(t), "/api/v1/query", Map.of("time", seconds(t))));
    }
    for (long[] r : ranges()) {
      out.add(new Case("range[" + seconds(r[0]) + "," + seconds(r[1]) + "," + seconds(r[2]) + "]",
          "/api/v1/query_range", Map.of("start", seconds(r[0]), "end", seconds(r[1]), "step", seconds(r[2]))));
    }
    return out;
  }

  // ---------------------------------------------------------------- evidence for queries that mix replicas

  /** Per series without the replica label: each replica's samples (timestamp to value bits). */
  static Map<Labels, List<TreeMap<Long, Long>>> byReplica() {
    Map<Labels, List<TreeMap<Long, Long>>> out = new HashMap<>();
    truth.forEach((l, samples) -> {
      List<TreeMap<Long, Long>> rs = out.computeIfAbsent(l.toBuilder().delete("prometheus_replica").build(),
          k -> new ArrayList<>(Arrays.asList(new TreeMap<Long, Long>(), new TreeMap<Long, Long>())));
      rs.set(REPLICAS.indexOf(l.get("prometheus_replica")), samples);
    });
    return out;
  }

  /** A deduplicated point whose value is no replica's, with what the replicas answer there and why. */
  record Miss(Query query, String caseName, Point point, Object dedup, List<Object> replicas, String why) {}

  /**
   * The outcome of one query over all cases: output points, those equal to a replica's value, those whose input was
   * traced and found to be exactly one replica's, points both replicas answer but the deduplicated answer lacks,
   * failed checks, and the non-conforming points.
   */
  record Checked(Query query, boolean pinned, long points, long conforming, long oneReplicaInput, long missing,
      List<String> problems, List<Miss> misses) {}

  /** The traced querier: the deduplicating fan-out behind a recording storage, with the querier's engine settings. */
  static RecordingQueryable recording;
  static ApiServer tracedApi;
  static Map<Labels, List<TreeMap<Long, Long>>> replicaSamples;

  /**
   * Runs every case of {@code q} against the deduplicating querier and each replica's API. A query pinning one
   * replica must equal the reference's answer (replica label dropped). Otherwise errors and result types must match
   * the replicas', no point may have a series or timestamp no replica answers, and each point whose value is no
   * replica's value there is returned as a miss. With {@code trace}, each case also runs on the traced querier: the
   * samples it read must be replica samples (or lifted by the counter adjustment), every point whose input (the raw
   * samples read in the window the point depends on) is exactly one replica's samples must equal that replica's value,
   * and each miss gets the reason its input is no replica's.
   */
  Checked check(HttpClient http, Query q, List<Case> cases, boolean trace) throws Exception {
    boolean pinned = selectsOneReplica(q.text());
    Expr root = trace ? PromqlParser.parse(q.text()) : null;
    long points = 0;
    long conforming = 0;
    long oneReplicaInput = 0;
    long missing = 0;
    List<String> problems = new ArrayList<>();
    List<Miss> misses = new ArrayList<>();
    for (Case c : cases) {
      Answer dedup = ask(http, queryDedup.url(), q.text(), c);
      if (pinned) {
        Answer ref = ask(http, reference.toString(), q.text(), c).without("prometheus_replica");
        points += dedup.points().size();
        if (dedup.sameAs(ref)) {
          conforming += dedup.points().size();
        } else {
          problems.add(c.name() + ": not the reference's answer: " + dedup + " vs " + ref);
        }
        continue;
      }
      List<Answer> replicas = new ArrayList<>();
      for (QueryApiLauncher r : replicaApis.values()) {
        replicas.add(ask(http, r.url(), q.text(), c));
      }
      if (!dedup.ok()) {
        if (replicas.stream().noneMatch(r -> !r.ok() && r.errorType().equals(dedup.errorType()))) {
          problems.add(c.name() + ": " + dedup + " but the replicas answer " + replicas);
        }
        continue;
      }
      for (Answer r : replicas) {
        if (!r.ok() || !r.resultType().equals(dedup.resultType())) {
          problems.add(c.name() + ": " + dedup + " but a replica answers " + r);
        }
      }
      for (Point p : replicas.get(0).points().keySet()) {
        if (replicas.get(1).points().containsKey(p) && !dedup.points().containsKey(p)) {
          missing++;
        }
      }
      Provenance input = null;
      if (trace) {
        synchronized (recording) {
          recording.reset();
          Answer again = ask(http, tracedApi.uri().toString(), q.text(), c);
          if (!again.sameAs(dedup)) {
            problems.add(c.name() + ": the traced querier answers " + again + ", the querier " + dedup);
          }
          input = new Provenance(recording, replicaSamples);
          input.problems.stream().limit(3).forEach(p -> problems.add(c.name() + ": " + p));
        }
      }
      boolean instant = c.path().endsWith("/query");
      long start = millis(c.params().get(instant ? "time" : "start"));
      long end = instant ? start : millis(c.params().get("end"));
      for (Map.Entry<Point, Object> p : dedup.points().entrySet()) {
        points++;
        List<Object> theirs = replicas.stream().map(r -> r.points().get(p.getKey())).toList();
        if (theirs.stream().allMatch(Objects::isNull)) {
          problems.add(c.name() + " " + p.getKey() + ": no replica answers this series at this time");
        }
        boolean ok = theirs.stream().anyMatch(v -> v != null && close(v, p.getValue()));
        String why = "";
        if (input != null) {
          long at = instant ? start : p.getKey().t();
          long[] w = reads(root, at, at, start, end, LOOKBACK);
          int from = w == null ? FROM_P0 | FROM_P1 : input.exactlyFrom(w[0], w[1]);
          if (from != 0) {
            oneReplicaInput++;
            boolean same = false;
            for (int r = 0; r < 2; r++) {
              Object v = theirs.get(r);
              same |= (from & (1 << r)) != 0 && v != null && close(v, p.getValue());
            }
            if (!same) {
              problems.add(c.name() + " " + p.getKey() + ": input exactly replica " + from + "'s, but "
                  + p.getValue() + " vs replicas " + theirs);
            }
          } else {
            why = input.whyNot(w[0], w[1]);
          }
        }
        if (ok) {
          conforming++;
        } else {
          misses.add(new Miss(q, c.name(), p.getKey(), p.getValue(), theirs, why));
        }
      }
    }
    return new Checked(q, pinned, points, conforming, oneReplicaInput, missing, problems, misses);
  }

  /** Queries whose deduplicated answer legitimately mixes replicas, with the measured reasons. */
  static final String MIXING_RESOURCE = "dedup-mixing.txt";

  @Test
  @Order(5)
  void withDedupEveryQueryAnswersWithTheValuesOfAReplica() throws Exception {
    List<Case> cases = cases();
    List<Query> queries = queries();
    Map<String, String> mixing = ListedQueries.load(MultiClusterEndToEndTest.class, MIXING_RESOURCE);
    assertThat(mixing.keySet()).as(MIXING_RESOURCE + " lists queries of queries.txt")
        .isSubsetOf(queries.stream().map(Query::raw).toList());

    HttpClient http = HttpClient.newBuilder().executor(exec).build();
    replicaSamples = byReplica();
    EndpointSet set = new EndpointSet(endpoints, null, clientTls.channels(exec, new SelfMetrics()), Duration.ofSeconds(10));
    set.refresh();
    closeables.add(set);
    recording = new RecordingQueryable(new ProxyQueryable(set, Duration.ofMinutes(2), List.of("prometheus_replica"),
        true, true));
    Engine engine = Engine.builder()
        .lookbackDelta(Duration.ofMillis(LOOKBACK)).timeout(Duration.ofMinutes(2)).maxSamples(50_000_000).build();
    tracedApi = ApiServer.builder().address("127.0.0.1", 0)
        .handler(PrometheusApiHandler.builder().queryable(recording)
            .evaluator(new EngineQueryEvaluator(engine, recording, Duration.ofMinutes(2)))
            .build()).start();
    closeables.add(tracedApi);

    List<Checked> results = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(2); // two queries at a time: CI machines have two cores
    try {
      List<Future<Checked>> futures = new ArrayList<>();
      for (Query q : queries) {
        futures.add(pool.submit(() -> check(http, q, cases, mixing.containsKey(q.raw()))));
      }
      for (var f : futures) {
        results.add(f.get());
      }
    } finally {
      pool.shutdownNow();
    }

    // For review: every non-conforming point with the replicas' values and the reason.
    ObjectMapper json = new ObjectMapper();
    try (var w = Files.newBufferedWriter(work.resolve("dedup-misses.jsonl"))) {
      for (Checked r : results) {
        for (Miss m : r.misses()) {
          Map<String, Object> o = new LinkedHashMap<>();
          o.put("line", m.query().line());
          o.put("query", m.query().raw());
          o.put("case", m.caseName());
          o.put("labels", m.point().labels());
          o.put("t", m.point().t());
          o.put("dedup", String.valueOf(m.dedup()));
          o.put("replicas", m.replicas().stream().map(String::valueOf).toList());
          o.put("why", m.why());
          w.write(json.writeValueAsString(o));
          w.newLine();
        }
      }
    }
    List<Checked> listed = results.stream().filter(r -> mixing.containsKey(r.query().raw())).toList();
    List<Checked> rest = results.stream().filter(r -> !mixing.containsKey(r.query().raw())).toList();
    Map<String, Long> whys = new TreeMap<>();
    listed.forEach(r -> r.misses().forEach(m -> whys.merge(m.why(), 1L, Long::sum)));
    System.out.printf("dedup conformance: %d queries x %d cases; %d points, %d equal to a replica's value%n",
        results.size(), cases.size(), sum(results, Checked::points), sum(results, Checked::conforming));
    List<Checked> pinned = results.stream().filter(Checked::pinned).toList();
    List<Checked> others = rest.stream().filter(r -> !r.pinned()).toList();
    System.out.printf("  pinned to one replica: %d queries, %d points, %d equal to the reference's%n", pinned.size(),
        sum(pinned, Checked::points), sum(pinned, Checked::conforming));
    System.out.printf("  others not in %s: %d queries, %d points, %d conforming%n", MIXING_RESOURCE, others.size(),
        sum(others, Checked::points), sum(others, Checked::conforming));
    System.out.printf("  mixing replicas (%s): %d queries, %d points, %d conforming, %d with one replica's input "
        + "(all equal to it), non-conforming by reason %s%n", MIXING_RESOURCE, listed.size(), sum(listed,
        Checked::points), sum(listed, Checked::conforming), sum(listed, Checked::oneReplicaInput), whys);
    for (Checked r : listed) {
      Map<String, Long> why = new TreeMap<>();
      r.misses().forEach(m -> why.merge(m.why(), 1L, Long::sum));
      System.out.printf("    L%-4d %s: %d points, %d conforming, %d one replica's input, missing %d, %s%n",
          r.query().line(), r.query().raw(), r.points(), r.conforming(), r.oneReplicaInput(), r.missing(), why);
    }

    assertThat(pinned).as("queries that select one replica").hasSize(2);
    List<String> failed = results.stream().flatMap(r -> r.problems().stream().map(p -> "L" + r.query().line() + " "
        + r.query().raw() + " " + p)).toList();
    assertThat(failed.size()).as("failed checks, the first 20:\n" + String.join("\n", failed.subList(0,
        Math.min(20, failed.size())))).isZero();
    // Every query not listed answers with replica values only, and nothing less: where both replicas answer, so
    // does the deduplicated querier.
    for (Checked r : rest) {
      assertThat(r.misses().size()).as("L%d %s: points whose value is no replica's, e.g. %s", r.query().line(),
          r.query().raw(), r.misses().subList(0, Math.min(3, r.misses().size()))).isZero();
      assertThat(r.missing()).as("L%d %s: points both replicas answer but the deduplicated answer lacks",
          r.query().line(), r.query().raw()).isZero();
    }
    for (Checked r : listed) {
      assertThat(r.pinned()).as("L%d is pinned to one replica", r.query().line()).isFalse();
      assertThat(r.misses()).as("L%d %s is listed in %s but every point conforms", r.query().line(),
          r.query().raw(), MIXING_RESOURCE).isNotEmpty();
    }
    assertThat(sum(listed, Checked::oneReplicaInput)).as("listed points whose input is one replica's").isPositive();
  }

  static long sum(List<Checked> rs, ToLongFunction<Checked> f) {
    return rs.stream().mapToLong(f).sum();
  }

  @Test
  @Order(10)
  void killedSidecarBecomesAWarningOrAnError() throws Exception {
    Server victim = sidecarServers.get("dev/prometheus-0");
    String address = "127.0.0.1:" + victim.getPort();
    ProxyQueryable warn = queryable(true);
    ProxyQueryable abort = queryable(false);
    // Metric metadata: every sidecar answers (their Prometheus servers scrape nothing, so there is none).
    HttpClient http = HttpClient.newHttpClient();
    String metadata = base(queryNoDedup.url()) + "/api/v1/metadata";
    assertThat(http.send(HttpRequest.newBuilder(URI.create(metadata)).build(), HttpResponse.BodyHandlers.ofString())
        .body()).isEqualTo("{\"status\":\"success\",\"data\":{}}");
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
    String series = http.send(HttpRequest.newBuilder(URI.create(base(queryNoDedup.url()) + "/api/v1/series?match[]="
        + URLEncoder.encode("up{cluster=\"dev\"}", StandardCharsets.UTF_8) + "&start=" + dataStart / 1000
        + "&end=" + dataEnd / 1000)).build(), HttpResponse.BodyHandlers.ofString()).body();
    assertThat(series).contains("\"warnings\"").contains(address);
    // So do /api/v1/labels and /api/v1/label/<name>/values, and with partial_response=false they fail naming it.
    String range = "start=" + dataStart / 1000 + "&end=" + dataEnd / 1000;
    for (String path : List.of("/api/v1/labels?", "/api/v1/label/instance/values?", "/api/v1/metadata?",
        "/api/v1/rules?", "/api/v1/query_exemplars?query=up&", "/api/v1/targets?")) {
      HttpResponse<String> labels = http.send(HttpRequest.newBuilder(URI.create(base(queryNoDedup.url()) + path
          + range)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(labels.statusCode()).as(labels.body()).isEqualTo(200);
      assertThat(labels.body()).contains("\"status\":\"success\"").contains("\"warnings\"").contains(address);
      HttpResponse<String> strictLabels = http.send(HttpRequest.newBuilder(URI.create(base(queryNoDedup.url())
          + path + range + "&partial_response=false")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(strictLabels.statusCode()).as(strictLabels.body()).isGreaterThanOrEqualTo(400);
      assertThat(strictLabels.body()).contains("\"status\":\"error\"").contains(address);
    }
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
