package dev.orrery.examples.cli;

import dev.orrery.core.block.BlockSet;
import dev.orrery.core.storage.MetricMetadataSource;
import dev.orrery.core.storage.Queryable;
import dev.orrery.promql.engine.Engine;
import dev.orrery.promql.http.ApiParameters;
import dev.orrery.promql.http.ApiServer;
import dev.orrery.promql.http.EngineQueryEvaluator;
import dev.orrery.promql.http.PrometheusApiHandler;
import dev.orrery.promql.rules.RuleGroup;
import dev.orrery.promql.rules.RuleManager;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Wires what {@code orrery query} and {@code orrery demo} serve: every block of a directory (with the blocks'
 * external labels as series labels), the PromQL engine, the Prometheus API handler, a Jetty server on its own
 * thread pool (with {@code /metrics}), and optionally a ruler over the blocks. {@link #close()} stops the ruler and the server and closes the
 * blocks.
 */
final class QueryApiLauncher implements AutoCloseable {
  /** Thanos' querier listens here by default. */
  static final String DEFAULT_ADDRESS = "127.0.0.1:10902";

  private final BlockSet blocks;
  private final ApiServer server;
  private final int blockCount;
  private final RuleManager ruler;
  private final ScheduledExecutorService scheduler;

  private QueryApiLauncher(BlockSet blocks, ApiServer server, int blockCount, RuleManager ruler,
      ScheduledExecutorService scheduler) {
    this.blocks = blocks;
    this.server = server;
    this.blockCount = blockCount;
    this.ruler = ruler;
    this.scheduler = scheduler;
  }

  /** Engine and server settings from the command line. */
  record Settings(String address, Duration lookbackDelta, Duration timeout, long maxSamples, WebConfig web) {
    /** Settings for a plain HTTP server. */
    Settings(String address, Duration lookbackDelta, Duration timeout, long maxSamples) {
      this(address, lookbackDelta, timeout, maxSamples, WebConfig.NONE);
    }
  }

  /** Opens the blocks under {@code dataDir} and starts serving them. */
  static QueryApiLauncher start(Path dataDir, Settings settings) throws Exception {
    return start(dataDir, settings, List.of(), MetricMetadataSource.NONE);
  }

  /**
   * Opens the blocks under {@code dataDir} and starts serving them; with rule groups, a ruler evaluates them over the
   * blocks (once now, then on their intervals), its recorded series are queryable beside the blocks, and {@code
   * /api/v1/rules} and {@code /api/v1/alerts} show them; {@code /api/v1/metadata} answers from {@code metadata}.
   */
  static QueryApiLauncher start(Path dataDir, Settings settings, List<RuleGroup> rules,
      MetricMetadataSource metadata) throws Exception {
    BlockSet opened = BlockSet.open(dataDir);
    SelfMetrics metrics = new SelfMetrics();
    RuleManager ruler = null;
    ScheduledExecutorService scheduler = null;
    try {
      BlockSet blocks = opened.withExternalLabels();
      Engine engine = Engine.builder()
          .lookbackDelta(settings.lookbackDelta())
          .timeout(settings.timeout())
          .maxSamples(settings.maxSamples())
          .metrics(metrics.registry)
          .build();
      Queryable served = blocks;
      PrometheusApiHandler.Builder handler = PrometheusApiHandler.builder().metadata(metadata);
      if (!rules.isEmpty()) {
        ruler = RuleManager.builder(engine, blocks).metrics(metrics.registry).build();
        ruler.load(rules);
        ruler.evaluate(System.currentTimeMillis());
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("orrery-rules")
            .daemon().unstarted(r));
        ruler.start(scheduler);
        served = Queryable.merge(List.of(blocks, ruler.storage()));
        handler.rules(ruler);
      }
      handler.queryable(served).evaluator(new EngineQueryEvaluator(engine, served, settings.timeout()));
      QueuedThreadPool pool = new QueuedThreadPool(64, 4);
      pool.setName("orrery-http");
      ApiServer server = settings.web().start(settings.address(), metrics.serving(handler.build()), pool);
      return new QueryApiLauncher(opened, server, opened.blocks().size(), ruler, scheduler);
    } catch (Exception e) {
      if (ruler != null) {
        ruler.close();
      }
      if (scheduler != null) {
        scheduler.shutdownNow();
      }
      try {
        opened.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /** Parses a duration flag as Prometheus does: {@code 5m}, {@code 1h30m} or float seconds. */
  static Duration parseDuration(String flag, String value) {
    try {
      return Duration.ofNanos(ApiParameters.parseDuration(value));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(flag + ": " + e.getMessage(), e);
    }
  }

  /** The server's base URL. */
  String url() {
    return server.uri().toString();
  }

  /** How many blocks are served. */
  int blockCount() {
    return blockCount;
  }

  /** Blocks until the server stops (after {@link #close()}, e.g. from a shutdown hook on Ctrl-C). */
  void awaitStop() throws InterruptedException {
    server.join();
  }

  /** Registers a JVM shutdown hook (Ctrl-C) that closes this launcher. */
  void closeOnShutdown() {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        close();
      } catch (Exception e) {
        System.err.println("orrery: error while stopping: " + e);
      }
    }, "orrery-shutdown"));
  }

  @Override
  public void close() throws Exception {
    try {
      if (ruler != null) {
        ruler.close();
        scheduler.shutdownNow();
      }
      server.close();
    } finally {
      blocks.close();
    }
  }
}
