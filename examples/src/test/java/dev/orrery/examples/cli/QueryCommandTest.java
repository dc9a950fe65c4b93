package dev.orrery.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orrery.examples.demo.DemoDataSet;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueryCommandTest {
  private static final long START = 1_704_067_200_000L;

  @TempDir
  Path dir;

  @Test
  void servesTheDemoDataWithExternalLabelsAsSeriesLabels() throws Exception {
    new DemoDataSet(START, 3).writeTo(dir);
    var settings = new QueryApiLauncher.Settings("127.0.0.1:0", Duration.ofMinutes(5), Duration.ofMinutes(2),
        50_000_000);
    try (QueryApiLauncher launcher = QueryApiLauncher.start(dir, settings)) {
      assertThat(launcher.blockCount()).isEqualTo(12);
      String body = get(launcher.url() + "api/v1/query?time=1704074400&query="
          + URLEncoder.encode("count by (cluster, environment) (up)", StandardCharsets.UTF_8));
      assertThat(body).startsWith("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[")
          .contains("{\"metric\":{\"cluster\":\"ap-south-1\",\"environment\":\"staging\"},\"value\":[1704074400,\"4\"]}")
          .contains("{\"metric\":{\"cluster\":\"us-east-1\",\"environment\":\"production\"},\"value\":[1704074400,\"6\"]}");
      assertThat(get(launcher.url() + "api/v1/label/prometheus_replica/values"))
          .isEqualTo("{\"status\":\"success\",\"data\":[\"prometheus-0\",\"prometheus-1\"]}");
      assertThat(get(launcher.url())).contains("<canvas");
    }
  }

  @Test
  void theDemoRulerRecordsAndShowsItsRulesBesideTheBlocks() throws Exception {
    DemoDataSet.endingNow(1).writeTo(dir);
    var settings = new QueryApiLauncher.Settings("127.0.0.1:0", Duration.ofMinutes(5), Duration.ofMinutes(2),
        50_000_000);
    try (QueryApiLauncher launcher = QueryApiLauncher.start(dir, settings, DemoCommand.demoRules(),
        DemoDataSet.metadata())) {
      String rules = get(launcher.url() + "api/v1/rules");
      assertThat(rules).contains("\"name\":\"demo\"").contains("\"name\":\"cluster:http_requests:rate5m\"")
          .contains("\"name\":\"InstanceDown\"").doesNotContain("\"health\":\"err\"")
          .doesNotContain("\"health\":\"unknown\"");
      String recorded = get(launcher.url() + "api/v1/query?query="
          + URLEncoder.encode("count(cluster:http_requests:rate5m)", StandardCharsets.UTF_8));
      assertThat(recorded).contains("\"value\":[").contains(",\"3\"]");
      assertThat(get(launcher.url() + "api/v1/alerts")).startsWith("{\"status\":\"success\",\"data\":{\"alerts\":[");
      // Every metric family of the data set has its metadata (classic histogram series under their family).
      JsonNode metadata = new ObjectMapper().readTree(get(launcher.url() + "api/v1/metadata")).path("data");
      for (JsonNode name : new ObjectMapper().readTree(get(launcher.url() + "api/v1/label/__name__/values"))
          .path("data")) {
        String family = name.asText().replaceFirst("_(bucket|sum|count)$", "");
        if (!family.contains(":") && !family.startsWith("ALERTS")) {
          assertThat(metadata.has(family)).as(family).isTrue();
        }
      }
      assertThat(metadata.path("http_requests_total").get(0).path("type").asText()).isEqualTo("counter");
    }
  }

  @Test
  void rejectsBadFlags() {
    var noData = BlockToolsCommandTest.run("query", "--data", dir.resolve("missing").toString());
    assertThat(noData.exit()).isNotZero();
    assertThat(noData.err()).contains("--data: not a directory");
    var badDuration = BlockToolsCommandTest.run("query", "--data", dir.toString(), "--query.timeout", "soon");
    assertThat(badDuration.exit()).isNotZero();
    assertThat(badDuration.err()).contains("--query.timeout: cannot parse \"soon\" to a valid duration");
    var badLookback = BlockToolsCommandTest.run("query", "--data", dir.toString(), "--query.lookback-delta", "0");
    assertThat(badLookback.exit()).isNotZero();
    assertThat(badLookback.err()).contains("--query.lookback-delta must be positive");
  }

  private static String get(String url) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString());
    return r.body();
  }
}
