package dev.orrery.examples.cli;

import dev.orrery.core.block.BlockDirectory;
import dev.orrery.examples.demo.DemoDataSet;
import dev.orrery.promql.rules.RuleFiles;
import dev.orrery.promql.rules.RuleGroup;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code orrery demo}: writes the demo data set, shows what it wrote, then serves it through the Prometheus HTTP API
 * and the query page (as {@code orrery query}) until Ctrl-C.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Write a synthetic multi-cluster data set (3 clusters x 2 replicas, 4h at 15s) as TSDB blocks, "
        + "print the blocks, then serve them with the Prometheus HTTP API and a query page until Ctrl-C.")
public final class DemoCommand implements Callable<Integer> {
  @Option(names = "--data", defaultValue = "demo-data", description = "Directory for the blocks (default ./${DEFAULT-VALUE}).")
  Path data;

  @Option(names = "--hours", defaultValue = "4", description = "Hours of data (default ${DEFAULT-VALUE}).")
  long hours;

  @Option(names = "--http-address", defaultValue = QueryApiLauncher.DEFAULT_ADDRESS,
      description = "Where to serve the data set (default ${DEFAULT-VALUE}).")
  String httpAddress;

  @Option(names = "--no-serve", description = "Only write the data set; do not serve it.")
  boolean noServe;

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Files.createDirectories(data);
    if (!BlockDirectory.blockDirs(data).isEmpty()) {
      out.printf("%s already holds blocks; writing the demo data set next to them.%n", data);
    }
    long start = System.nanoTime();
    int written = DemoDataSet.endingNow(hours).writeTo(data).size();
    out.printf("Wrote %d blocks into %s in %.1f s: 3 clusters x 2 Prometheus replicas, %dh at 15s, "
        + "external labels cluster, environment, prometheus_replica.%n%n", written, data.toAbsolutePath(),
        (System.nanoTime() - start) / 1e9, hours);
    BlockTable.print(out, BlockDirectory.blockDirs(data));
    if (noServe) {
      out.printf("%nNext: orrery query --data %s    orrery tools block verify %s/<ULID>%n", data, data);
      out.flush();
      return 0;
    }
    QueryApiLauncher.Settings settings = QueryCommand.settings(spec, httpAddress, "5m", "2m", 50_000_000L,
        WebConfig.NONE);
    try (QueryApiLauncher launcher = QueryApiLauncher.start(data, settings, demoRules(), DemoDataSet.metadata())) {
      launcher.closeOnShutdown();
      String url = launcher.url();
      out.printf("%nServing %d blocks at %s  (Prometheus HTTP API under %sapi/v1/, Ctrl-C stops)%n",
          launcher.blockCount(), url, url);
      out.printf("Open %s in a browser, point Grafana at it as a Prometheus data source, or try:%n", url);
      for (String q : EXAMPLE_QUERIES) {
        out.printf("  curl -s %sapi/v1/query --data-urlencode 'query=%s'%n", url, q);
      }
      out.printf("A ruler evaluates the demo rules every 30s (recording cluster:http_requests:rate5m and "
          + "cluster:http_errors:ratio5m, alerting InstanceDown and HighErrorRate):%n");
      out.printf("  curl -s %sapi/v1/rules%n  curl -s %sapi/v1/alerts%n", url, url);
      out.printf("Its own metrics (JVM, HTTP requests, PromQL engine, rule evaluations), as Prometheus scrapes them:%n"
          + "  curl -s %smetrics%n", url);
      out.flush();
      launcher.awaitStop();
    }
    return 0;
  }

  /** The rule groups the demo's ruler evaluates, from the jar. */
  static List<RuleGroup> demoRules() throws IOException {
    try (InputStream in = DemoCommand.class.getResourceAsStream(DEMO_RULES)) {
      if (in == null) {
        throw new IOException(DEMO_RULES + " is missing from the orrery jar");
      }
      return RuleFiles.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "demo-rules.yml",
          Duration.ofMinutes(1));
    }
  }

  private static final String DEMO_RULES = "/dev/orrery/examples/demo/demo-rules.yml";

  /** Queries that show the data set's shape; printed after it is written. */
  static final String[] EXAMPLE_QUERIES = {
      "sum by (cluster) (rate(http_requests_total[5m]))",
      "histogram_quantile(0.99, sum by (le, cluster) (rate(http_request_duration_seconds_bucket[5m])))",
      "histogram_quantile(0.99, sum by (cluster) (rate(http_request_duration_native_seconds[5m])))",
      "max without (prometheus_replica) (up)",
      "count by (cluster, environment) (up)"};
}
