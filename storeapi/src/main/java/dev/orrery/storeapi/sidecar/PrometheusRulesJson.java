package dev.orrery.storeapi.sidecar;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orrery.core.rules.AlertStatus;
import dev.orrery.core.rules.AlertingRuleStatus;
import dev.orrery.core.rules.RecordingRuleStatus;
import dev.orrery.core.rules.RuleGroupStatus;
import dev.orrery.core.rules.RuleStatus;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the {@code data} of Prometheus' {@code /api/v1/rules} into {@code core}'s rules model: durations in seconds,
 * times in RFC 3339 with Go's zero time for "never", alert values as printed.
 */
final class PrometheusRulesJson {
  private PrometheusRulesJson() {}

  /**
   * The groups of {@code data}.
   *
   * @throws IOException naming the group and rule of a field that cannot be read
   */
  static List<RuleGroupStatus> groups(JsonNode data) throws IOException {
    List<RuleGroupStatus> out = new ArrayList<>();
    for (JsonNode g : data.path("groups")) {
      String where = "group " + g.path("name").asText() + " of " + g.path("file").asText();
      List<RuleStatus> rules = new ArrayList<>();
      for (JsonNode r : g.path("rules")) {
        rules.add(rule(r, where + ", rule " + r.path("name").asText()));
      }
      out.add(new RuleGroupStatus(g.path("name").asText(), g.path("file").asText(), rules,
          seconds(g.path("interval")), g.path("limit").asLong(0), seconds(g.path("queryOffset")), null,
          seconds(g.path("evaluationTime")), PrometheusJson.time(g.path("lastEvaluation"), where)));
    }
    return out;
  }

  private static RuleStatus rule(JsonNode r, String where) throws IOException {
    Instant last = PrometheusJson.time(r.path("lastEvaluation"), where);
    return switch (r.path("type").asText()) {
      case "alerting" -> {
        List<AlertStatus> alerts = new ArrayList<>();
        for (JsonNode a : r.path("alerts")) {
          Instant keepFiringSince = a.has("keepFiringSince") ? PrometheusJson.time(a.path("keepFiringSince"), where)
              : null;
          alerts.add(new AlertStatus(PrometheusJson.labels(a.path("labels")),
              PrometheusJson.map(a.path("annotations")), a.path("state").asText(),
              PrometheusJson.time(a.path("activeAt"), where), keepFiringSince, a.path("value").asText()));
        }
        yield new AlertingRuleStatus(r.path("state").asText("inactive"), r.path("name").asText(),
            r.path("query").asText(), seconds(r.path("duration")), seconds(r.path("keepFiringFor")),
            PrometheusJson.labels(r.path("labels")), PrometheusJson.map(r.path("annotations")), alerts,
            r.path("health").asText(), r.path("lastError").asText(""), seconds(r.path("evaluationTime")), last);
      }
      case "recording" -> new RecordingRuleStatus(r.path("name").asText(), r.path("query").asText(),
          PrometheusJson.labels(r.path("labels")), r.path("health").asText(), r.path("lastError").asText(""),
          seconds(r.path("evaluationTime")), last);
      default -> throw new IOException(where + ": unknown rule type '" + r.path("type").asText() + "'");
    };
  }


  private static Duration seconds(JsonNode n) {
    return n.isNumber() ? Duration.ofNanos(Math.round(n.asDouble() * 1e9)) : Duration.ZERO;
  }

}
