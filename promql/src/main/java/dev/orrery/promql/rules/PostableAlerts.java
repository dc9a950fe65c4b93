package dev.orrery.promql.rules;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.orrery.promql.rules.AlertmanagerNotifier.Alert;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/**
 * The JSON body of Alertmanager's {@code POST /api/v2/alerts} ({@code PostableAlerts} in its OpenAPI spec): an array
 * of {@code {"labels":{...},"annotations":{...},"startsAt":"...","endsAt":"...","generatorURL":"..."}}, times in
 * RFC 3339 UTC with milliseconds as Prometheus sends them.
 */
final class PostableAlerts {
  private static final JsonFactory JSON = new JsonFactory();
  private static final DateTimeFormatter RFC_3339_MILLIS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private PostableAlerts() {}

  /** The alerts as a UTF-8 JSON array. */
  static byte[] encode(List<Alert> alerts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256 * alerts.size() + 2);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartArray();
      for (Alert alert : alerts) {
        g.writeStartObject();
        writeObject(g, "labels", alert.labels());
        writeObject(g, "annotations", alert.annotations());
        g.writeStringField("startsAt", formatTime(alert.startsAt()));
        g.writeStringField("endsAt", formatTime(alert.endsAt()));
        g.writeStringField("generatorURL", alert.generatorUrl());
        g.writeEndObject();
      }
      g.writeEndArray();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write alerts as JSON", e);
    }
    return out.toByteArray();
  }

  /** {@code 2024-01-01T00:00:00.000Z}. */
  static String formatTime(Instant t) {
    return RFC_3339_MILLIS.format(t);
  }

  private static void writeObject(JsonGenerator g, String field, Map<String, String> map) throws IOException {
    g.writeObjectFieldStart(field);
    for (Map.Entry<String, String> e : map.entrySet()) {
      g.writeStringField(e.getKey(), e.getValue());
    }
    g.writeEndObject();
  }
}
