package dev.orrery.promql.http;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.orrery.core.rules.AlertStatus;
import dev.orrery.core.rules.AlertingRuleStatus;
import dev.orrery.core.rules.RecordingRuleStatus;
import dev.orrery.core.rules.RuleGroupStatus;
import dev.orrery.core.rules.RuleStatus;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Rule groups and alerts in the JSON of Prometheus' {@code /api/v1/rules} and {@code /api/v1/alerts}: durations in
 * seconds, times in RFC 3339 (Go's zero time before a first evaluation), Thanos' {@code partialResponseStrategy} on
 * groups that have one.
 */
final class RuleGroupsJson {
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
      JsonFields.writeSeconds(g, "interval", group.interval());
      g.writeNumberField("limit", group.limit());
      if (!group.queryOffset().isZero()) {
        JsonFields.writeSeconds(g, "queryOffset", group.queryOffset());
      }
      if (group.partialResponseStrategy() != null) {
        g.writeStringField("partialResponseStrategy", group.partialResponseStrategy());
      }
      JsonFields.writeSeconds(g, "evaluationTime", group.evaluationTime());
      g.writeStringField("lastEvaluation", JsonFields.time(group.lastEvaluation()));
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
        JsonFields.writeSeconds(g, "duration", rule.duration());
        JsonFields.writeSeconds(g, "keepFiringFor", rule.keepFiringFor());
        JsonFields.writeLabels(g, "labels", rule.labels());
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
          JsonFields.writeLabels(g, "labels", rule.labels());
        }
      }
    }
    g.writeStringField("health", status.health());
    if (!status.lastError().isEmpty()) {
      g.writeStringField("lastError", status.lastError());
    }
    JsonFields.writeSeconds(g, "evaluationTime", status.evaluationTime());
    g.writeStringField("lastEvaluation", JsonFields.time(status.lastEvaluation()));
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
    g.writeStringField("activeAt", JsonFields.time(a.activeAt()));
    if (a.keepFiringSince() != null) {
      g.writeStringField("keepFiringSince", JsonFields.time(a.keepFiringSince()));
    }
    g.writeStringField("value", a.value());
    g.writeEndObject();
  }


  private static void writeMap(JsonGenerator g, String field, Map<String, String> map) throws IOException {
    g.writeObjectFieldStart(field);
    for (Map.Entry<String, String> e : map.entrySet()) {
      g.writeStringField(e.getKey(), e.getValue());
    }
    g.writeEndObject();
  }


}
