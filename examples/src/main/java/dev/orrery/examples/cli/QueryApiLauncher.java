package dev.orrery.examples.cli;

import dev.orrery.core.block.BlockSet;
import dev.orrery.promql.engine.Engine;
import dev.orrery.promql.http.ApiParameters;
import dev.orrery.promql.http.ApiServer;
import dev.orrery.promql.http.EngineQueryEvaluator;
import dev.orrery.promql.http.PrometheusApiHandler;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Wires what {@code orrery query} and {@code orrery demo} serve: every block of a directory (with the blocks'
 * external labels as series labels), the PromQL engine, the Prometheus API handler and a Jetty server on its own
 * thread pool. {@link #close()} stops the server and closes the blocks.
 */
final class QueryApiLauncher implements AutoCloseable {
  /** Thanos' querier listens here by default. */
  static final String DEFAULT_ADDRESS = "127.0.0.1:10902";

  private final BlockSet blocks;
  private final ApiServer server;
  private final int blockCount;

  private QueryApiLauncher(BlockSet blocks, ApiServer server, int blockCount) {
    this.blocks = blocks;
    this.server = server;
    this.blockCount = blockCount;
  }

  /** Engine settings from the command line. */
  record Settings(String address, Duration lookbackDelta, Duration timeout, long maxSamples) {}

  /** Opens the blocks under {@code dataDir} and starts serving them. */
  static QueryApiLauncher start(Path dataDir, Settings settings) throws Exception {
    BlockSet opened = BlockSet.open(dataDir);
    try {
      BlockSet blocks = opened.withExternalLabels();
      Engine engine = Engine.builder()
          .lookbackDelta(settings.lookbackDelta())
          .timeout(settings.timeout())
          .maxSamples(settings.maxSamples())
          .build();
      PrometheusApiHandler handler = PrometheusApiHandler.builder()
          .queryable(blocks)
          .evaluator(new EngineQueryEvaluator(engine, blocks, settings.timeout()))
          .build();
      QueuedThreadPool pool = new QueuedThreadPool(64, 4);
      pool.setName("orrery-http");
      ApiServer server = ApiServer.builder().address(settings.address()).handler(handler).threadPool(pool).start();
      return new QueryApiLauncher(opened, server, opened.blocks().size());
    } catch (Exception e) {
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
      server.close();
    } finally {
      blocks.close();
    }
  }
}
