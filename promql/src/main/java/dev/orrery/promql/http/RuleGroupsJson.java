package dev.orrery.promql.http;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.orrery.core.labels.Labels;
import dev.orrery.core.rules.AlertStatus;
import dev.orrery.core.rules.AlertingRuleStatus;
import dev.orrery.core.rules.RecordingRuleStatus;
import dev.orrery.core.rules.RuleGroupStatus;
import dev.orrery.core.rules.RuleStatus;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.List;
import java.util.Map;

/**
 * Rule groups and alerts in the JSON of Prometheus' {@code /api/v1/rules} and {@code /api/v1/alerts}: durations in
 * seconds, times in RFC 3339 (Go's zero time before a first evaluation), Thanos' {@code partialResponseStrategy} on
 * groups that have one.
 */
final class RuleGroupsJson {
  /** Go's zero {@code time.Time}, which Prometheus prints for a group not evaluated yet. */
  private static final String GO_ZERO_TIME = "0001-01-01T00:00:00Z";
  /** RFC 3339 with as many fraction digits as needed, as Go's {@code RFC3339Nano}. */
  private static final DateTimeFormatter RFC3339 = new DateTimeFormatterBuilder()
      .appendPattern("uuuu-MM-dd'T'HH:mm:ss").appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
      .appendLiteral('Z').toFormatter().withZone(ZoneOffset.UTC);

  private RuleGroupsJson() {}

  /**
   * Writes {@code {"groups": [...]}}, with {@code "groupNextToken"} when {@code nextToken} is not null; with {@code
   * excludeAlerts} the alerting rules' {@code alerts} are {@code null}, as Prometheus writes them for {@code
   * exclude_alerts=true}.
   */
  static void writeGroups(ApiJsonWriter json, List<RuleGroupStatus> groups, String nextToken, boolean excludeAlerts)
      throws IOException {
    JsonGenerator g = json.generator();
    g.writeStartObject();
    g.writeArrayFieldStart("groups");
    for (RuleGroupStatus group : groups) {
      g.writeStartObject();
      g.writeStringField("name", group.name());
      g.writeStringField("file", group.file());
      g.writeArrayFieldStart("rules");
      for (RuleStatus rule : group.rules()) {
        writeRule(json, rule, excludeAlerts);
      }
      g.writeEndArray();
      writeSeconds(g, "interval", group.interval());
      g.writeNumberField("limit", group.limit());
      if (!group.queryOffset().isZero()) {
        writeSeconds(g, "queryOffset", group.queryOffset());
      }
      if (group.partialResponseStrategy() != null) {
        g.writeStringField("partialResponseStrategy", group.partialResponseStrategy());
      }
      writeSeconds(g, "evaluationTime", group.evaluationTime());
      g.writeStringField("lastEvaluation", time(group.lastEvaluation()));
      g.writeEndObject();
    }
    g.writeEndArray();
    if (nextToken != null) {
      g.writeStringField("groupNextToken", nextToken);
    }
    g.writeEndObject();
  }

  /** Writes {@code {"alerts": [...]}}. */
  static void writeAlerts(ApiJsonWriter json, List<AlertStatus> alerts) throws IOException {
    JsonGenerator g = json.generator();
    g.writeStartObject();
    g.writeArrayFieldStart("alerts");
    for (AlertStatus a : alerts) {
      writeAlert(json, a);
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  private static void writeRule(ApiJsonWriter json, RuleStatus status, boolean excludeAlerts) throws IOException {
    JsonGenerator g = json.generator();
    g.writeStartObject();
    switch (status) {
      case AlertingRuleStatus rule -> {
        g.writeStringField("state", rule.state());
        g.writeStringField("name", rule.name());
        g.writeStringField("query", rule.query());
        writeSeconds(g, "duration", rule.duration());
        writeSeconds(g, "keepFiringFor", rule.keepFiringFor());
        writeLabels(g, "labels", rule.labels());
        writeMap(g, "annotations", rule.annotations());
        if (excludeAlerts) {
          g.writeNullField("alerts");
        } else {
          g.writeArrayFieldStart("alerts");
          for (AlertStatus a : rule.alerts()) {
            writeAlert(json, a);
          }
          g.writeEndArray();
        }
      }
      case RecordingRuleStatus rule -> {
        g.writeStringField("name", rule.name());
        g.writeStringField("query", rule.query());
        if (!rule.labels().isEmpty()) {
          writeLabels(g, "labels", rule.labels());
        }
      }
    }
    g.writeStringField("health", status.health());
    if (!status.lastError().isEmpty()) {
      g.writeStringField("lastError", status.lastError());
    }
    writeSeconds(g, "evaluationTime", status.evaluationTime());
    g.writeStringField("lastEvaluation", time(status.lastEvaluation()));
    g.writeStringField("type", status instanceof AlertingRuleStatus ? "alerting" : "recording");
    g.writeEndObject();
  }

  private static void writeAlert(ApiJsonWriter json, AlertStatus a) throws IOException {
    JsonGenerator g = json.generator();
    g.writeStartObject();
    g.writeFieldName("labels");
    json.writeLabels(a.labels());
    writeMap(g, "annotations", a.annotations());
    g.writeStringField("state", a.state());
    g.writeStringField("activeAt", time(a.activeAt()));
    if (a.keepFiringSince() != null) {
      g.writeStringField("keepFiringSince", time(a.keepFiringSince()));
    }
    g.writeStringField("value", a.value());
    g.writeEndObject();
  }

  private static void writeLabels(JsonGenerator g, String field, Labels labels) throws IOException {
    g.writeObjectFieldStart(field);
    for (int i = 0; i < labels.size(); i++) {
      g.writeStringField(labels.name(i), labels.value(i));
    }
    g.writeEndObject();
  }

  private static void writeMap(JsonGenerator g, String field, Map<String, String> map) throws IOException {
    g.writeObjectFieldStart(field);
    for (Map.Entry<String, String> e : map.entrySet()) {
      g.writeStringField(e.getKey(), e.getValue());
    }
    g.writeEndObject();
  }

  private static void writeSeconds(JsonGenerator g, String field, Duration d) throws IOException {
    g.writeFieldName(field);
    g.writeNumber(ApiJsonWriter.formatFloat(d.toNanos() / 1e9));
  }

  private static String time(Instant t) {
    return t == null ? GO_ZERO_TIME : RFC3339.format(t);
  }
}
