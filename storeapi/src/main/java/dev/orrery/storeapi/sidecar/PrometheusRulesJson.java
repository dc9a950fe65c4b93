package dev.orrery.storeapi.sidecar;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orrery.core.labels.Labels;
import dev.orrery.core.rules.AlertStatus;
import dev.orrery.core.rules.AlertingRuleStatus;
import dev.orrery.core.rules.RecordingRuleStatus;
import dev.orrery.core.rules.RuleGroupStatus;
import dev.orrery.core.rules.RuleStatus;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the {@code data} of Prometheus' {@code /api/v1/rules} into {@code core}'s rules model: durations in seconds,
 * times in RFC 3339 with Go's zero time for "never", alert values as printed.
 */
final class PrometheusRulesJson {
  private static final String GO_ZERO_TIME = "0001-01-01T00:00:00Z";

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
          seconds(g.path("evaluationTime")), time(g.path("lastEvaluation"), where)));
    }
    return out;
  }

  private static RuleStatus rule(JsonNode r, String where) throws IOException {
    Instant last = time(r.path("lastEvaluation"), where);
    return switch (r.path("type").asText()) {
      case "alerting" -> {
        List<AlertStatus> alerts = new ArrayList<>();
        for (JsonNode a : r.path("alerts")) {
          alerts.add(new AlertStatus(Labels.of(map(a.path("labels"))), map(a.path("annotations")),
              a.path("state").asText(), time(a.path("activeAt"), where),
              a.has("keepFiringSince") ? time(a.path("keepFiringSince"), where) : null, a.path("value").asText()));
        }
        yield new AlertingRuleStatus(r.path("state").asText("inactive"), r.path("name").asText(),
            r.path("query").asText(), seconds(r.path("duration")), seconds(r.path("keepFiringFor")),
            Labels.of(map(r.path("labels"))), map(r.path("annotations")), alerts, r.path("health").asText(),
            r.path("lastError").asText(""), seconds(r.path("evaluationTime")), last);
      }
      case "recording" -> new RecordingRuleStatus(r.path("name").asText(), r.path("query").asText(),
          Labels.of(map(r.path("labels"))), r.path("health").asText(), r.path("lastError").asText(""),
          seconds(r.path("evaluationTime")), last);
      default -> throw new IOException(where + ": unknown rule type '" + r.path("type").asText() + "'");
    };
  }

  private static Map<String, String> map(JsonNode object) {
    Map<String, String> out = new TreeMap<>();
    object.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
    return out;
  }

  private static Duration seconds(JsonNode n) {
    return n.isNumber() ? Duration.ofNanos(Math.round(n.asDouble() * 1e9)) : Duration.ZERO;
  }

  private static Instant time(JsonNode n, String where) throws IOException {
    String s = n.asText("");
    if (s.isEmpty() || s.equals(GO_ZERO_TIME)) {
      return null;
    }
    try {
      return OffsetDateTime.parse(s).toInstant();
    } catch (DateTimeParseException e) {
      throw new IOException(where + ": bad time '" + s + "'", e);
    }
  }
}
