package dev.orrery.examples.cli;

import static dev.orrery.examples.cli.BlockToolsCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orrery.examples.cli.BlockToolsCommandTest.Result;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code orrery rule --once} over the demo data set (3 clusters x 2 replicas, 3 hours from 2024-01-01), and a serving
 * ruler reloading its rule file.
 */
class RuleCommandTest {
  /** 2024-01-01T00:00:00Z. */
  private static final long START = 1704067200000L;

  @TempDir
  Path dir;

  @Test
  void evaluatesRuleFilesOverBlocksOnce() throws Exception {
    Path data = dir.resolve("data");
    Result write = run("tools", "block", "write-demo", data.toString(), "--hours", "3", "--start",
        String.valueOf(START));
    assertThat(write.exit()).as(write.err()).isZero();
    Path rules = Files.writeString(dir.resolve("rules.yml"), """
        groups:
          - name: clusters
            rules:
              - record: cluster:up:count
                expr: count by (cluster) (up)
              - alert: ClusterHasTargets
                expr: cluster:up:count > 0
                labels:
                  severity: info
              - record: broken
                expr: up + on(job) up
        """);

    Result r = run("rule", "--rule-file", rules.toString(), "--data", data.toString(), "--once", "--eval-time",
        String.valueOf(START + 3_600_000), "--label", "ruler=\"r1\"");

    assertThat(r.exit()).as(r.err()).isEqualTo(1);
    assertThat(r.out()).contains("clusters/cluster:up:count ok").contains("clusters/ClusterHasTargets ok firing")
        .contains("clusters/broken err: ").contains("many-to-many matching not allowed")
        .contains("alert firing {alertname=\"ClusterHasTargets\", cluster=\"eu-west-1\", severity=\"info\"}");
    assertThat(r.out().lines().filter(l -> l.startsWith("alert firing"))).hasSize(3);
    // Three cluster:up:count series; a first evaluation writes no ALERTS series (the for state is restored first).
    assertThat(r.out()).contains("3 series recorded");
  }

  @Test
  void aServingRulerReloadsItsRuleFilesOnPostReloadAndSighup() throws Exception {
    Path rules = Files.writeString(dir.resolve("rules.yml"), """
        groups:
          - name: clusters
            rules:
              - record: cluster:up:count
                expr: count by (cluster) (up)
        """);
    Path data = Files.createDirectories(dir.resolve("data"));
    CommandLine cl = OrreryCommand.newCommandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    // A pattern, as Kubernetes deployments mount a directory of rule files: expanded again at every reload.
    Thread ruler = Thread.ofPlatform().name("ruler").start(() -> cl.execute("rule", "--rule-file",
        dir.resolve("*.yml").toString(),
        "--data", data.toString(), "--http-address", "127.0.0.1:0",
        "--grpc-address", "127.0.0.1:0", "--tsdb.path", dir.resolve("ruler").toString(), "--label",
        "ruler=\"r1\""));
    try (HttpClient http = HttpClient.newHttpClient()) {
      URI api = await(() -> {
        Matcher m = SERVING.matcher(out.toString());
        return m.find() ? URI.create(m.group(1)) : null;
      }, err);
      assertThat(ruleNames(http, api)).containsExactly("cluster:up:count");
      // A querier over the ruler's gRPC shows its rules through Thanos' Rules API, with the ruler's label.
      Matcher port = Pattern.compile("Rules API on port (\\d+)").matcher(out.toString());
      assertThat(port.find()).as(out.toString()).isTrue();
      QueryApiLauncher.Settings settings = new QueryApiLauncher.Settings("127.0.0.1:0", Duration.ofMinutes(5),
          Duration.ofMinutes(2), 50_000_000);
      try (FanOutQueryLauncher querier = FanOutQueryLauncher.start(settings, new FanOutQueryLauncher.FanOutSettings(
          List.of("127.0.0.1:" + port.group(1)), null, List.of("replica"), true, true, Duration.ofSeconds(30),
          Duration.ofMinutes(10), false), new GrpcOptions())) {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(querier.url()).resolve(
            "/api/v1/rules")).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode group = new ObjectMapper().readTree(r.body()).at("/data/groups/0");
        assertThat(group.path("name").asText()).as(r.body()).isEqualTo("clusters");
        assertThat(group.path("partialResponseStrategy").asText()).isEqualTo("ABORT");
        assertThat(group.at("/rules/0/name").asText()).isEqualTo("cluster:up:count");
        assertThat(group.at("/rules/0/labels").toString()).isEqualTo("{\"ruler\":\"r1\"}");
      }

      Files.writeString(rules, """
          groups:
            - name: clusters
              rules:
                - record: cluster:up:count
                  expr: count by (cluster) (up)
                - alert: NoTargets
                  expr: absent(up)
          """);
      HttpResponse<String> reloaded = post(http, api.resolve("-/reload"));
      assertThat(reloaded.statusCode()).as(reloaded.body()).isEqualTo(200);
      assertThat(ruleNames(http, api)).containsExactly("cluster:up:count", "NoTargets");

      Files.writeString(rules, """
          groups:
            - name: clusters
              rules:
                - record: broken
                  expr: sum(
          """);
      HttpResponse<String> failed = post(http, api.resolve("-/reload"));
      assertThat(failed.statusCode()).isEqualTo(500);
      assertThat(failed.body()).startsWith("failed to reload: " + rules)
          .contains("group \"clusters\", rule 1, \"broken\": could not parse expression");
      assertThat(ruleNames(http, api)).as("the old rules stay").containsExactly("cluster:up:count", "NoTargets");
      assertThat(err.toString()).contains("reloading the rule files failed, the rules in force stay");
      assertThat(http.send(HttpRequest.newBuilder(api.resolve("-/reload")).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(405);

      Files.writeString(rules, """
          groups:
            - name: clusters
              rules:
                - record: cluster:up:sum
                  expr: sum by (cluster) (up)
          """);
      assertThat(err.toString()).as("the ruler handles SIGHUP").doesNotContain("SIGHUP cannot be handled");
      Process kill = new ProcessBuilder("kill", "-HUP", String.valueOf(ProcessHandle.current().pid())).start();
      assertThat(kill.waitFor()).isZero();
      await(() -> ruleNames(http, api).equals(List.of("cluster:up:sum")) ? true : null, err);

      Files.writeString(dir.resolve("team.yml"), """
          groups:
            - name: team
              rules:
                - record: team:up:count
                  expr: count(up)
          """);
      assertThat(post(http, api.resolve("-/reload")).statusCode()).isEqualTo(200);
      assertThat(ruleNames(http, api)).as("a file added to the directory").containsExactlyInAnyOrder(
          "cluster:up:sum", "team:up:count");
    } finally {
      ruler.interrupt();
      ruler.join(Duration.ofSeconds(30));
    }
    assertThat(ruler.isAlive()).isFalse();
  }

  private static final Pattern SERVING = Pattern.compile("serving (http://\\S+/)api/v1/rules");

  private static <T> T await(Callable<T> condition, StringWriter err) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    T value;
    while ((value = condition.call()) == null) {
      assertThat(System.nanoTime()).as("timed out; stderr: %s", err).isLessThan(deadline);
      Thread.sleep(20);
    }
    return value;
  }

  private static List<String> ruleNames(HttpClient http, URI api) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(api.resolve("api/v1/rules")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    List<String> names = new ArrayList<>();
    for (JsonNode group : new ObjectMapper().readTree(r.body()).at("/data/groups")) {
      group.get("rules").forEach(rule -> names.add(rule.get("name").asText()));
    }
    return names;
  }

  private static HttpResponse<String> post(HttpClient http, URI uri) throws Exception {
    return http.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aBadRuleFileIsAUsageError() throws Exception {
    Path rules = Files.writeString(dir.resolve("bad.yml"), """
        groups:
          - name: g
            rules:
              - record: x
                expr: sum(
        """);

    Result r = run("rule", "--rule-file", rules.toString(), "--data", dir.toString(), "--once");

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("group \"g\", rule 1, \"x\": could not parse expression");
  }
}
