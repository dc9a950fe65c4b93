package dev.orrery.promql.http;

import java.io.IOException;
import java.util.List;

/**
 * What {@code /api/v1/rules} and {@code /api/v1/alerts} serve: a ruler's groups and alerts, written as the {@code data}
 * of Prometheus' responses. A {@link PrometheusApiHandler} without one answers with no groups and no alerts, as a
 * Prometheus without rule files does.
 */
public interface RulesEndpoint {
  /**
   * Writes {@code {"groups": [...]}}.
   *
   * @param type {@code alert} or {@code record} to list only rules of that kind, or {@code null} for both
   * @param ruleNames only rules with these names; empty for all
   * @param groupNames only groups with these names; empty for all
   * @param files only groups from these files; empty for all
   */
  void writeRules(ApiJsonWriter json, String type, List<String> ruleNames, List<String> groupNames,
      List<String> files) throws IOException;

  /** Writes {@code {"alerts": [...]}}: every pending and firing alert. */
  void writeAlerts(ApiJsonWriter json) throws IOException;

  /** The endpoint of a server without rules. */
  static RulesEndpoint none() {
    return new RulesEndpoint() {
      @Override
      public void writeRules(ApiJsonWriter json, String type, List<String> ruleNames, List<String> groupNames,
          List<String> files) throws IOException {
        json.generator().writeStartObject();
        json.generator().writeArrayFieldStart("groups");
        json.generator().writeEndArray();
        json.generator().writeEndObject();
      }

      @Override
      public void writeAlerts(ApiJsonWriter json) throws IOException {
        json.generator().writeStartObject();
        json.generator().writeArrayFieldStart("alerts");
        json.generator().writeEndArray();
        json.generator().writeEndObject();
      }
    };
  }
}
