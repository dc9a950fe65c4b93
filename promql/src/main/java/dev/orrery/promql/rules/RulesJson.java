package dev.orrery.promql.rules;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.orrery.promql.http.ApiJsonWriter;
import dev.orrery.promql.http.RulesEndpoint;
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
 * A {@link RuleManager}'s groups and alerts in the JSON of Prometheus' {@code /api/v1/rules} and {@code
 * /api/v1/alerts}: durations in seconds, times in RFC 3339 (Go's zero time before a first evaluation), alert values in
 * Go's exponent form ({@code 1e+00}).
 */
final class RulesJson implements RulesEndpoint {
  /** Go's zero {@code time.Time}, which Prometheus prints for a group not evaluated yet. */
  private static final String GO_ZERO_TIME = "0001-01-01T00:00:00Z";
  /** RFC 3339 with as many fraction digits as needed, as Go's {@code RFC3339Nano}. */
  private static final DateTimeFormatter RFC3339 = new DateTimeFormatterBuilder()
      .appendPattern("uuuu-MM-dd'T'HH:mm:ss").appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
      .appendLiteral('Z').toFormatter().withZone(ZoneOffset.UTC);

  private final RuleManager manager;

  RulesJson(RuleManager manager) {
    this.manager = manager;
  }

  @Override
  public void writeRules(ApiJsonWriter json, String type, List<String> ruleNames, List<String> groupNames,
      List<String> files) throws IOException {
    JsonGenerator g = json.generator();
    g.writeStartObject();
    g.writeArrayFieldStart("groups");
    for (RuleManager.GroupStatus group : manager.groups()) {
      RuleGroup rg = group.group();
      if (!groupNames.isEmpty() && !groupNames.contains(rg.name()) || !files.isEmpty() && !files.contains(rg.file())) {
        continue;
      }
      g.writeStartObject();
      g.writeStringField("name", rg.name());
      g.writeStringField("file", rg.file());
      g.writeArrayFieldStart("rules");
      for (RuleManager.RuleStatus rule : group.rules()) {
        boolean alerting = rule.rule() instanceof AlertingRule;
        if (type != null && type.equals("alert") != alerting || !ruleNames.isEmpty()
            && !ruleNames.contains(rule.rule().name())) {
          continue;
        }
        writeRule(json, rule);
      }
      g.writeEndArray();
      writeSeconds(g, "interval", rg.interval());
      g.writeNumberField("limit", rg.limit());
      if (!rg.queryOffset().isZero()) {
        writeSeconds(g, "queryOffset", rg.queryOffset());
      }
      // Thanos' ruler adds the group's strategy.
      g.writeStringField("partialResponseStrategy", rg.partialResponse().name());
      writeSeconds(g, "evaluationTime", group.evaluationTime());
      g.writeStringField("lastEvaluation", time(group.lastEvaluation()));
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  @Override
  public void writeAlerts(ApiJsonWriter json) throws IOException {
    JsonGenerator g = json.generator();
    g.writeStartObject();
    g.writeArrayFieldStart("alerts");
    for (Alert a : manager.alerts()) {
      writeAlert(json, a);
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  private static void writeRule(ApiJsonWriter json, RuleManager.RuleStatus status) throws IOException {
    JsonGenerator g = json.generator();
    g.writeStartObject();
    switch (status.rule()) {
      case AlertingRule rule -> {
        g.writeStringField("state", status.state() == null ? "inactive" : status.state().apiName());
        g.writeStringField("name", rule.name());
        g.writeStringField("query", rule.exprText());
        writeSeconds(g, "duration", rule.holdDuration());
        writeSeconds(g, "keepFiringFor", rule.keepFiringFor());
        writeMap(g, "labels", rule.labels());
        writeMap(g, "annotations", rule.annotations());
        g.writeArrayFieldStart("alerts");
        for (Alert a : status.alerts()) {
          writeAlert(json, a);
        }
        g.writeEndArray();
      }
      case RecordingRule rule -> {
        g.writeStringField("name", rule.name());
        g.writeStringField("query", rule.exprText());
        if (!rule.labels().isEmpty()) {
          writeMap(g, "labels", rule.labels());
        }
      }
    }
    g.writeStringField("health", status.health().apiName());
    if (!status.lastError().isEmpty()) {
      g.writeStringField("lastError", status.lastError());
    }
    writeSeconds(g, "evaluationTime", status.evaluationTime());
    g.writeStringField("lastEvaluation", time(status.lastEvaluation()));
    g.writeStringField("type", status.rule() instanceof AlertingRule ? "alerting" : "recording");
    g.writeEndObject();
  }

  private static void writeAlert(ApiJsonWriter json, Alert a) throws IOException {
    JsonGenerator g = json.generator();
    g.writeStartObject();
    g.writeFieldName("labels");
    json.writeLabels(a.labels());
    writeMap(g, "annotations", a.annotations());
    g.writeStringField("state", a.state().apiName());
    g.writeStringField("activeAt", time(a.activeAt()));
    if (a.keepFiringSince() != null) {
      g.writeStringField("keepFiringSince", time(a.keepFiringSince()));
    }
    g.writeStringField("value", GoFormat.formatFloat(a.value(), 'e', -1));
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
