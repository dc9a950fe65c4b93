package dev.orrery.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntFunction;

/** A real Prometheus 2.42 process on loopback over a data directory, for interop tests. Stops on close. */
public final class PrometheusProcess implements AutoCloseable {
  private final Process process;
  private final int port;
  private final Path log;

  private PrometheusProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** A free TCP port on 127.0.0.1. */
  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /**
   * Starts Prometheus on {@code dataDir} with {@code externalLabels}, no scrape targets, 2h blocks and no retention
   * limit; waits until it is ready.
   */
  public static PrometheusProcess start(Path workDir, Path dataDir, Map<String, String> externalLabels,
      String... extraFlags) throws Exception {
    String cfg = globalConfig("15s", externalLabels) + "scrape_configs: []\n";
    return start(workDir, dataDir, port -> cfg, extraFlags);
  }

  /**
   * Starts Prometheus as {@link #start(Path, Path, Map, String...)} does, also evaluating the rules of {@code
   * ruleFile} every second.
   */
  public static PrometheusProcess startWithRules(Path workDir, Path dataDir, Map<String, String> externalLabels,
      Path ruleFile) throws Exception {
    String cfg = globalConfig("1s", externalLabels) + "rule_files:\n  - '" + ruleFile.toAbsolutePath() + "'\n"
        + "scrape_configs: []\n";
    return start(workDir, dataDir, port -> cfg);
  }

  /**
   * Starts Prometheus as {@link #start(Path, Path, Map, String...)} does, scraping {@code target} ({@code host:port})
   * every second as job {@code app}.
   */
  public static PrometheusProcess startScraping(Path workDir, Path dataDir, Map<String, String> externalLabels,
      String target, String... extraFlags) throws Exception {
    String cfg = globalConfig("15s", externalLabels).replace("scrape_interval: 15s", "scrape_interval: 1s")
        + "scrape_configs:\n  - job_name: app\n    static_configs:\n      - targets: ['" + target + "']\n";
    return start(workDir, dataDir, port -> cfg, extraFlags);
  }

  private static String globalConfig(String evaluationInterval, Map<String, String> externalLabels) {
    StringBuilder cfg = new StringBuilder("global:\n  scrape_interval: 15s\n  evaluation_interval: ")
        .append(evaluationInterval).append('\n');
    if (!externalLabels.isEmpty()) {
      cfg.append("  external_labels:\n");
      new TreeMap<>(externalLabels).forEach((k, v) -> cfg.append("    ").append(k).append(": '").append(v)
          .append("'\n"));
    }
    return cfg.toString();
  }

  /**
   * Starts Prometheus on {@code dataDir} scraping every second with {@code scrapeConfigs}, the YAML list of {@code
   * scrape_configs} entries (each starting {@code "  - job_name: ..."}).
   */
  public static PrometheusProcess startWithScrapeConfigs(Path workDir, Path dataDir, String scrapeConfigs)
      throws Exception {
    return start(workDir, dataDir, port -> "global:\n  scrape_interval: 1s\nscrape_configs:\n" + scrapeConfigs);
  }

  /** Starts Prometheus on {@code dataDir} scraping its own metrics every second as job {@code prometheus}. */
  public static PrometheusProcess startScrapingItself(Path workDir, Path dataDir) throws Exception {
    return start(workDir, dataDir, port -> "global:\n  scrape_interval: 1s\nscrape_configs:\n"
        + "  - job_name: prometheus\n    static_configs:\n      - targets: ['127.0.0.1:" + port + "']\n");
  }

  /** Starts Prometheus with the configuration {@code config} makes for its port (2h blocks, no retention limit). */
  private static PrometheusProcess start(Path workDir, Path dataDir, IntFunction<String> config, String... extraFlags)
      throws Exception {
    Path binary = Environment.prometheus();
    Files.createDirectories(dataDir);
    int port = freePort();
    Path configFile = workDir.resolve("prometheus-" + dataDir.getFileName() + ".yml");
    Files.writeString(configFile, config.apply(port));
    Path log = workDir.resolve("prometheus-" + dataDir.getFileName() + ".log");
    List<String> command = new ArrayList<>(List.of(binary.toString(), "--config.file=" + configFile,
        "--storage.tsdb.path=" + dataDir, "--storage.tsdb.retention.time=100y", "--storage.tsdb.min-block-duration=2h",
        "--storage.tsdb.max-block-duration=2h", "--web.listen-address=127.0.0.1:" + port));
    command.addAll(List.of(extraFlags));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    PrometheusProcess pp = new PrometheusProcess(p, port, log);
    try {
      pp.awaitReady(Duration.ofSeconds(60));
    } catch (Exception e) {
      pp.close();
      throw e;
    }
    return pp;
  }

  private void awaitReady(Duration timeout) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("prometheus exited: " + Files.readString(log));
      }
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url() + "/-/ready")).build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("prometheus not ready after " + timeout + ": " + Files.readString(log));
  }

  /**
   * GETs {@code pathAndQuery} (e.g. {@code /api/v1/query?query=up}) and returns the JSON answer's {@code data}.
   *
   * @throws IllegalStateException if the answer is not {@code "status": "success"}
   */
  public JsonNode api(String pathAndQuery) throws IOException, InterruptedException {
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(url() + pathAndQuery)).build(), HttpResponse.BodyHandlers.ofString());
    JsonNode body = new ObjectMapper().readTree(r.body());
    if (!body.path("status").asText().equals("success")) {
      throw new IllegalStateException(pathAndQuery + " answered " + r.statusCode() + ": " + r.body());
    }
    return body.path("data");
  }

  /** A sample value as Prometheus' JSON gives it ({@code "+Inf"}, {@code "NaN"}, {@code "1.5"}). */
  public static double parseValue(String s) {
    return switch (s) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(s);
    };
  }

  /** Base URL. */
  public URI url() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** The process' log (its standard output and error). */
  public Path log() {
    return log;
  }

  /** Whether the process still runs. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** Kills the process (as a crash would) and waits for it. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor();
    }
  }
}
