package dev.orrery.examples.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code orrery query}: serves Prometheus' HTTP query API over every block in a local directory until Ctrl-C. */
@Command(name = "query", mixinStandardHelpOptions = true,
    description = "Serve the Prometheus HTTP API (/api/v1/query, query_range, series, labels, ...) and a query page "
        + "at / over every block in a directory, with each block's external labels as series labels.")
public final class QueryCommand implements Callable<Integer> {
  @Option(names = "--data", required = true, description = "Directory whose block subdirectories are served.")
  Path data;

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

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (!Files.isDirectory(data)) {
      throw new ParameterException(spec.commandLine(), "--data: not a directory: " + data);
    }
    QueryApiLauncher.Settings settings = settings(spec, httpAddress, lookbackDelta, timeout, maxSamples);
    PrintWriter out = spec.commandLine().getOut();
    try (QueryApiLauncher launcher = QueryApiLauncher.start(data, settings)) {
      launcher.closeOnShutdown();
      out.printf("Serving %d blocks from %s at %s (Ctrl-C stops)%n", launcher.blockCount(), data.toAbsolutePath(),
          launcher.url());
      out.flush();
      launcher.awaitStop();
    }
    return 0;
  }

  static QueryApiLauncher.Settings settings(CommandSpec spec, String address, String lookbackDelta, String timeout,
      long maxSamples) {
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
      return new QueryApiLauncher.Settings(address, lookback, to, maxSamples);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e, null, null);
    }
  }
}
