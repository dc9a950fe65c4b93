package dev.orrery.examples.cli;

import dev.orrery.core.block.BlockSet;
import dev.orrery.core.storage.Queryable;
import dev.orrery.objstore.Bucket;
import dev.orrery.objstore.BucketProviders;
import dev.orrery.objstore.block.Shipper;
import dev.orrery.promql.engine.Engine;
import dev.orrery.promql.http.ApiServer;
import dev.orrery.promql.http.EngineQueryEvaluator;
import dev.orrery.promql.http.PrometheusApiHandler;
import dev.orrery.promql.rules.Alert;
import dev.orrery.promql.rules.AlertmanagerNotifier;
import dev.orrery.promql.rules.PrometheusApiRuleQuery;
import dev.orrery.promql.rules.RuleFiles;
import dev.orrery.promql.rules.RuleGroup;
import dev.orrery.promql.rules.RuleHealth;
import dev.orrery.promql.rules.RuleManager;
import dev.orrery.promql.rules.RuleQuery;
import dev.orrery.promql.rules.RuleStorage;
import dev.orrery.storeapi.WireLabels;
import dev.orrery.storeapi.local.QueryableStore;
import io.grpc.Server;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * {@code orrery rule}: the ruler. Evaluates rule files over local blocks or StoreAPI endpoints, sends alerts to
 * Alertmanager, serves the Prometheus API ({@code /api/v1/rules}, {@code /api/v1/alerts}, and queries over what it
 * recorded) and what it recorded over the StoreAPI on {@code --grpc-address} (so queriers see it live, as Thanos'
 * ruler), and writes it as 2h blocks into {@code --tsdb.path}, shipped to a bucket when one is given.
 * With {@code --once} it evaluates every group once, prints each rule's health and the alerts, and exits (1 when a
 * rule failed).
 *
 * <p>While serving, it reads its rule files again on {@code POST /-/reload} and on SIGHUP, as Thanos' ruler: the
 * rules that stay keep their state and alerts ({@link RuleManager#load}). Files that do not parse leave the rules in
 * force; the error is printed, and {@code /-/reload} answers 500 with it. SIGHUP is handled through {@code
 * sun.misc.Signal} (module {@code jdk.unsupported}); where the JVM does not let it be handled (e.g. with {@code -Xrs})
 * only {@code /-/reload} reloads.
 */
@Command(name = "rule", mixinStandardHelpOptions = true,
    description = "Evaluate recording and alerting rules over the stores; send alerts to Alertmanager.")
public final class RuleCommand implements Callable<Integer> {
  private static final Pattern LABEL = Pattern.compile("\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*=\\s*\"(.*)\"\\s*");
  private static final long BLOCK_MILLIS = Duration.ofHours(2).toMillis();

  @Option(names = "--rule-file", required = true, paramLabel = "<file>",
      description = "Prometheus rule file or glob pattern such as /etc/rules/*.yml, re-expanded at every reload "
          + "(repeatable).")
  List<Path> ruleFiles = new ArrayList<>();

  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  /** Where the rules' queries read. */
  static final class Source {
    @Option(names = "--data", description = "Directory whose blocks the rules query.")
    Path data;

    @Option(names = {"--endpoint", "--store"}, description = "StoreAPI endpoint host:port the rules query "
        + "(repeatable).")
    List<String> endpoints;

    @Option(names = "--query", paramLabel = "<url>", description = "Prometheus-compatible query API the rules are "
        + "evaluated by, e.g. a querier's http://127.0.0.1:10902 (repeatable: tried in order), as Thanos' ruler.")
    List<URI> queryUrls;

    @Option(names = "--query.config-file", paramLabel = "<file>", description = "Query endpoints in the Thanos "
        + "ruler's format (static_configs, scheme, path_prefix, http_config with basic_auth, bearer_token and "
        + "tls_config), for queriers behind TLS or authentication.")
    Path queryConfigFile;
  }

  @Option(names = "--query.replica-label", description = "Label telling replicas apart; replicas are deduplicated "
      + "(repeatable; with --endpoint).")
  List<String> replicaLabels = new ArrayList<>();

  @Mixin
  GrpcOptions grpc;

  @Option(names = "--alertmanagers.url", paramLabel = "<url>",
      description = "Alertmanager base URL, e.g. http://127.0.0.1:9093 (repeatable).")
  List<URI> alertmanagers = new ArrayList<>();

  @Option(names = "--alert.label-drop", paramLabel = "<name>",
      description = "Label dropped from alerts before they are sent (repeatable), e.g. the replica label of rulers "
          + "that run as replicas, so that Alertmanager deduplicates their alerts.")
  List<String> alertLabelDrop = new ArrayList<>();

  @Option(names = "--eval-interval", defaultValue = "1m",
      description = "Interval of groups that set none (default ${DEFAULT-VALUE}).")
  String evalInterval;

  @Option(names = "--label", paramLabel = "<name=\"value\">",
      description = "External label of the ruler (repeatable): on its blocks, its alerts and $externalLabels.")
  List<String> labels = new ArrayList<>();

  @Option(names = "--resend-delay", defaultValue = "1m",
      description = "How often a firing alert is sent again (default ${DEFAULT-VALUE}).")
  String resendDelay;

  @Option(names = "--alert.query-url", defaultValue = "",
      description = "Base URL alerts link back to (generatorURL), e.g. the querier's UI.")
  String queryUrl;

  @Option(names = "--http-address", defaultValue = "127.0.0.1:10903",
      description = "Listen address of the API and /metrics (default ${DEFAULT-VALUE}).")
  String httpAddress;

  @Option(names = "--tsdb.path", defaultValue = "./data-rule",
      description = "Where recorded series are logged (wal/, replayed on start) and written as 2h blocks "
          + "(default ${DEFAULT-VALUE}).")
  Path tsdbPath;

  @Option(names = "--tsdb.retention", defaultValue = "48h",
      description = "How long written blocks stay in --tsdb.path and queryable here (default ${DEFAULT-VALUE}).")
  String tsdbRetention;

  @Option(names = "--objstore.config-file", description = "Thanos objstore YAML: ship the written blocks there.")
  Path objstoreConfig;

  @Option(names = "--once", description = "Evaluate every group once at --eval-time, print the results and exit.")
  boolean once;

  @Option(names = "--eval-time", description = "With --once: the evaluation time (RFC 3339 or Unix ms; default "
      + "now).")
  String evalTime;

  @Mixin
  WebConfigOption web;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    List<RuleGroup> groups;
    Map<String, String> external;
    Duration interval;
    Duration resend;
    Duration retention;
    try {
      interval = QueryApiLauncher.parseDuration("--eval-interval", evalInterval);
      resend = QueryApiLauncher.parseDuration("--resend-delay", resendDelay);
      retention = QueryApiLauncher.parseDuration("--tsdb.retention", tsdbRetention);
      external = parseLabels(labels);
      groups = readRuleFiles(interval);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    SelfMetrics metrics = new SelfMetrics();
    try (Stores stores = openStores(metrics);
        AlertmanagerNotifier notifier = alertmanagers.isEmpty() ? null
            : AlertmanagerNotifier.builder(alertmanagers).externalLabels(external).dropLabels(alertLabelDrop)
                .metrics(metrics.registry).build();
        // A one-shot run keeps its results in memory; a serving ruler logs them in --tsdb.path and replays them.
        RuleStorage storage = once ? new RuleStorage() : RuleStorage.open(tsdbPath, retention)) {
      Engine engine = Engine.builder().metrics(metrics.registry).build();
      RuleManager.Builder b = (stores.query() != null ? RuleManager.builder(stores.query())
          : RuleManager.builder(engine, stores.queryable())).storage(storage).externalLabels(external)
          .metrics(metrics.registry)
          .resendDelay(resend).externalUrl(queryUrl);
      if (notifier != null) {
        b.notifier(notifier);
      }
      RuleManager manager = b.build();
      manager.load(groups);
      PrintWriter out = spec.commandLine().getOut();
      if (once) {
        long ts = evalTime == null ? System.currentTimeMillis()
            : StoreCommand.parseTime("--eval-time", evalTime, System.currentTimeMillis());
        manager.evaluate(ts);
        return report(manager, out);
      }
      return serve(manager, engine, external, interval, out, metrics);
    }
  }

  /** The groups of every {@code --rule-file}, patterns expanded; a file given twice is read once. */
  private List<RuleGroup> readRuleFiles(Duration interval) throws IOException {
    List<RuleGroup> groups = new ArrayList<>();
    for (Path f : RuleFileGlobs.expand(ruleFiles)) {
      groups.addAll(RuleFiles.read(f, interval));
    }
    return groups;
  }

  /**
   * Reads the rule files again and gives their groups to the manager, which keeps the state of the rules that stay.
   * Synchronized as HTTP requests and SIGHUP may ask at once.
   *
   * @throws IOException if a file cannot be read; the rules in force stay
   * @throws IllegalArgumentException if a file is not a valid rule file; the rules in force stay
   */
  private synchronized void reloadRules(RuleManager manager, Duration interval) throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    try {
      manager.load(readRuleFiles(interval));
    } catch (IOException | RuntimeException e) {
      err.println("orrery: reloading the rule files failed, the rules in force stay: " + e.getMessage());
      err.flush();
      throw e;
    }
    err.printf("orrery: reloaded the rule files: %d rule groups%n", manager.groups().size());
    err.flush();
  }

  /**
   * Runs {@code reload} on SIGHUP until the returned action restores the previous handler. Where the signal cannot be
   * handled, says so and returns an action that does nothing.
   */
  private Runnable reloadOnSighup(Runnable reload) {
    Signal hup;
    SignalHandler previous;
    try {
      hup = new Signal("HUP");
      previous = Signal.handle(hup, signal -> reload.run());
    } catch (IllegalArgumentException e) {
      // No such signal (Windows), or one the JVM keeps for itself (-Xrs).
      spec.commandLine().getErr().println("orrery: SIGHUP cannot be handled (" + e.getMessage()
          + "); reload the rule files with POST /-/reload");
      return () -> {};
    }
    return () -> Signal.handle(hup, previous);
  }

  /** Prints every rule's health and every pending or firing alert; 1 when a rule failed. */
  private static int report(RuleManager manager, PrintWriter out) {
    int failed = 0;
    for (RuleManager.GroupStatus g : manager.groups()) {
      for (RuleManager.RuleStatus r : g.rules()) {
        out.printf("%s/%s %s%s%s%n", g.group().name(), r.rule().name(), r.health().apiName(),
            r.state() == null ? "" : " " + r.state().apiName(), r.lastError().isEmpty() ? "" : ": " + r.lastError());
        if (r.health() == RuleHealth.ERR) {
          failed++;
        }
      }
    }
    for (Alert a : manager.alerts()) {
      out.printf("alert %s %s%n", a.state().apiName(), a.labels());
    }
    out.printf("%d series recorded%n", manager.storage().seriesCount());
    out.flush();
    return failed == 0 ? 0 : 1;
  }

  private int serve(RuleManager manager, Engine engine, Map<String, String> external, Duration interval,
      PrintWriter out, SelfMetrics metrics) throws Exception {
    ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, r -> Thread.ofPlatform()
        .name("orrery-rules").daemon().unstarted(r));
    Bucket bucket = objstoreConfig == null ? null
        : metrics.instrument(BucketProviders.installed().openThanosConfig(objstoreConfig));
    PrometheusApiHandler handler = PrometheusApiHandler.builder().queryable(manager.storage())
        .evaluator(new EngineQueryEvaluator(engine, manager.storage(), Duration.ofMinutes(2)))
        .rules(manager).reloader(() -> reloadRules(manager, interval)).build();
    ExecutorService grpcExec = Executors.newVirtualThreadPerTaskExecutor();
    Server storeApi = null;
    Runnable restoreSighup = () -> {};
    try (ApiServer server = web.read(spec).start(httpAddress, metrics.serving(handler), null)) {
      storeApi = grpc.startServer(new QueryableStore(manager.storage(),
          WireLabels.toLabels(external), "rule", manager), grpcExec, metrics);
      manager.start(scheduler);
      restoreSighup = reloadOnSighup(() -> {
        try {
          reloadRules(manager, interval);
        } catch (IOException | RuntimeException e) {
          // Printed by reloadRules; the rules in force stay.
        }
      });
      Shipper shipper = bucket == null ? null
          : Shipper.builder(tsdbPath, bucket).externalLabels(external).source("ruler")
          .metrics(metrics.registry).build();
      scheduler.scheduleAtFixedRate(() -> flushBlocks(manager, external, shipper), 1, 1, TimeUnit.MINUTES);
      out.printf("Ruler evaluating %d rule groups, serving %sapi/v1/rules and %sapi/v1/alerts, and its recorded "
          + "series and rules over the StoreAPI and Rules API on port %d; %d series replayed from %s (Ctrl-C stops; "
          + "POST %s-/reload or SIGHUP reloads the rule files)%n", manager.groups().size(), server.uri(), server.uri(), storeApi.getPort(),
          manager.storage().seriesCount(), tsdbPath.resolve("wal"), server.uri());
      out.flush();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        manager.close();
        try {
          manager.storage().close();
          server.close();
        } catch (Exception e) {
          System.err.println("orrery: error while stopping: " + e);
        }
      }, "orrery-shutdown"));
      server.join();
    } finally {
      restoreSighup.run();
      manager.close();
      if (storeApi != null) {
        storeApi.shutdownNow();
      }
      grpcExec.shutdownNow();
      scheduler.shutdownNow();
      if (bucket != null) {
        bucket.close();
      }
    }
    return 0;
  }

  /** Writes the samples of every finished 2h window as a block, then ships new blocks. */
  private void flushBlocks(RuleManager manager, Map<String, String> external, Shipper shipper) {
    long cutoff = System.currentTimeMillis() / BLOCK_MILLIS * BLOCK_MILLIS;
    try {
      manager.storage().flush(cutoff, external);
      if (shipper != null) {
        shipper.sync();
      }
    } catch (IOException | RuntimeException e) {
      System.err.println("orrery: writing or shipping the ruler's blocks failed (retried in a minute): " + e);
    }
  }

  private Stores openStores(SelfMetrics metrics) throws Exception {
    if (source.queryUrls != null || source.queryConfigFile != null) {
      PrometheusApiRuleQuery query = source.queryUrls != null
          ? new PrometheusApiRuleQuery(source.queryUrls, Duration.ofMinutes(2))
          : PrometheusApiRuleQuery.of(queryEndpoints(source.queryConfigFile), Duration.ofMinutes(2));
      return new Stores(null, query, query::close);
    }
    if (source.data != null) {
      if (!Files.isDirectory(source.data)) {
        throw new ParameterException(spec.commandLine(), "--data: not a directory: " + source.data);
      }
      BlockSet blocks = BlockSet.open(source.data);
      return new Stores(blocks.withExternalLabels(), null, blocks::close);
    }
    StoreFanOut fanOut = StoreFanOut.open(new FanOutQueryLauncher.FanOutSettings(source.endpoints, null,
        replicaLabels, true, true, Duration.ofMinutes(2), Duration.ofSeconds(30), false), grpc, metrics);
    return new Stores(fanOut.queryable, null, fanOut::close);
  }

  private List<PrometheusApiRuleQuery.Endpoint> queryEndpoints(Path file) {
    try {
      return QueryEndpointsConfig.parse(Files.readString(file), "--query.config-file " + file,
          file.toAbsolutePath().getParent());
    } catch (IOException e) {
      throw new ParameterException(spec.commandLine(), "--query.config-file " + file + ": " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
  }

  /** What the rules query (the engine over a queryable, or a remote query API), and how to release it. */
  private record Stores(@Nullable Queryable queryable, @Nullable RuleQuery query, AutoCloseable closer)
      implements AutoCloseable {
    @Override
    public void close() throws Exception {
      closer.close();
    }
  }

  static Map<String, String> parseLabels(List<String> specs) {
    Map<String, String> out = new TreeMap<>();
    for (String s : specs) {
      Matcher m = LABEL.matcher(s);
      if (!m.matches()) {
        throw new IllegalArgumentException("--label: expected name=\"value\": " + s);
      }
      out.put(m.group(1), m.group(2));
    }
    return out;
  }
}
