package dev.orrery.examples.cli;

import dev.orrery.core.block.BlockDirectory;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code orrery query}: serves Prometheus' HTTP query API over every block in a local directory until Ctrl-C. */
@Command(name = "query", mixinStandardHelpOptions = true,
    description = "Serve the Prometheus HTTP API (/api/v1/query, query_range, series, labels, ...) and a query page "
        + "at / over every block in a directory, with each block's external labels as series labels.")
public final class QueryCommand implements Callable<Integer> {
  @Option(names = "--data", description = "Directory whose block subdirectories are served.")
  Path data;

  @Option(names = {"--endpoint", "--store"}, description = "StoreAPI endpoint host:port to fan out to (repeatable).")
  List<String> endpoints = new ArrayList<>();

  @Option(names = "--store.sd-files", description = "File listing more endpoints, one host:port per line; "
      + "re-read when it changes.")
  Path endpointFile;

  @Option(names = "--query.replica-label", description = "Label telling replicas apart; replicas are deduplicated "
      + "(repeatable).")
  List<String> replicaLabels = new ArrayList<>();

  @Option(names = "--query.dedup", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Deduplicate replicas by default (needs --query.replica-label).")
  boolean dedup;

  @Option(names = "--query.partial-response", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Answer with the remaining stores (and a warning) when a store fails.")
  boolean partialResponse;

  @Option(names = "--store.response-timeout", defaultValue = "2m",
      description = "Deadline of each store's Series call (default ${DEFAULT-VALUE}).")
  String storeTimeout;

  @Option(names = "--endpoint.refresh-interval", defaultValue = "30s",
      description = "How often endpoints' Info and --store.sd-files are re-read (default ${DEFAULT-VALUE}).")
  String refreshInterval;

  @Option(names = "--query.auto-downsampling", description = "Range queries without max_source_resolution read "
      + "downsampled data of up to a fifth of their step (as Thanos' flag).")
  boolean autoDownsampling;

  @Option(names = "--grpc", description = "Also serve the querier's own StoreAPI on --grpc-address (stacking).")
  boolean serveGrpc;

  @Mixin
  GrpcOptions grpc;

  @Option(names = "--http-address", defaultValue = QueryApiLauncher.DEFAULT_ADDRESS,
      description = "Listen address host:port (default ${DEFAULT-VALUE}).")
  String httpAddress;

  @Option(names = "--query.lookback-delta", defaultValue = "5m",
      description = "How far back an instant selector looks for a sample (default ${DEFAULT-VALUE}).")
  String lookbackDelta;

  @Option(names = "--query.timeout", defaultValue = "2m",
      description = "Maximum time a query may run (default ${DEFAULT-VALUE}).")
  String timeout;

  @Option(names = "--query.max-samples", defaultValue = "50000000",
      description = "Maximum samples a query may hold in memory (default ${DEFAULT-VALUE}).")
  long maxSamples;

  @Mixin
  WebConfigOption web;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (data == null) {
      if (endpoints.isEmpty() && endpointFile == null) {
        throw new ParameterException(spec.commandLine(), "give --data or at least one --endpoint/--store.sd-files");
      }
      return serveFanOut();
    }
    if (!Files.isDirectory(data)) {
      throw new ParameterException(spec.commandLine(), "--data: not a directory: " + data);
    }
    QueryApiLauncher.Settings settings = settings(spec, httpAddress, lookbackDelta, timeout, maxSamples, web.read(spec));
    PrintWriter out = spec.commandLine().getOut();
    try (QueryApiLauncher launcher = QueryApiLauncher.start(data, settings)) {
      launcher.closeOnShutdown();
      out.printf("Serving %d blocks from %s at %s (Ctrl-C stops)%n", launcher.blockCount(), data.toAbsolutePath(),
          launcher.url());
      int downsampled = BlockDirectory.blockDirs(data).size() - launcher.blockCount();
      if (downsampled > 0) {
        out.printf("Left out %d downsampled blocks: they hold aggregates, not raw samples (orrery store serves them)%n",
            downsampled);
      }
      out.flush();
      launcher.awaitStop();
    }
    return 0;
  }

  private int serveFanOut() throws Exception {
    QueryApiLauncher.Settings settings = settings(spec, httpAddress, lookbackDelta, timeout, maxSamples, web.read(spec));
    FanOutQueryLauncher.FanOutSettings fanOut;
    try {
      fanOut = new FanOutQueryLauncher.FanOutSettings(endpoints, endpointFile, replicaLabels, dedup, partialResponse,
          QueryApiLauncher.parseDuration("--store.response-timeout", storeTimeout),
          QueryApiLauncher.parseDuration("--endpoint.refresh-interval", refreshInterval), serveGrpc,
          autoDownsampling);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    PrintWriter out = spec.commandLine().getOut();
    try (FanOutQueryLauncher launcher = FanOutQueryLauncher.start(settings, fanOut, grpc)) {
      out.printf("Querying %d StoreAPI endpoints, serving the HTTP API at %s%s (Ctrl-C stops)%n",
          launcher.endpoints().endpoints().size(), launcher.url(),
          launcher.grpcPort() > 0 ? " and the StoreAPI on port " + launcher.grpcPort() : "");
      out.flush();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          launcher.close();
        } catch (Exception e) {
          System.err.println("orrery: error while stopping: " + e);
        }
      }, "orrery-shutdown"));
      launcher.awaitStop();
    }
    return 0;
  }

  static QueryApiLauncher.Settings settings(CommandSpec spec, String address, String lookbackDelta, String timeout,
      long maxSamples, WebConfig web) {
    try {
      if (maxSamples < 0) {
        throw new IllegalArgumentException("--query.max-samples must not be negative: " + maxSamples);
      }
      var lookback = QueryApiLauncher.parseDuration("--query.lookback-delta", lookbackDelta);
      if (lookback.isZero() || lookback.isNegative()) {
        throw new IllegalArgumentException("--query.lookback-delta must be positive: " + lookbackDelta);
      }
      var to = QueryApiLauncher.parseDuration("--query.timeout", timeout);
      if (to.isNegative()) {
        throw new IllegalArgumentException("--query.timeout must not be negative: " + timeout);
      }
      return new QueryApiLauncher.Settings(address, lookback, to, maxSamples, web);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
  }
}
