package dev.orrery.promql.http;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.orrery.core.labels.Labels;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;

/**
 * Fields as Prometheus' status APIs ({@code /api/v1/rules}, {@code /api/v1/alerts}, {@code /api/v1/targets}) write
 * them: times in RFC 3339 with Go's zero time for "never", durations in seconds, label sets as objects.
 */
final class JsonFields {
  /** Go's zero {@code time.Time}, which Prometheus prints for a time not known yet. */
  private static final String GO_ZERO_TIME = "0001-01-01T00:00:00Z";
  /** RFC 3339 with as many fraction digits as needed, as Go's {@code RFC3339Nano}. */
  private static final DateTimeFormatter RFC3339 = new DateTimeFormatterBuilder()
      .appendPattern("uuuu-MM-dd'T'HH:mm:ss").appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
      .appendLiteral('Z').toFormatter().withZone(ZoneOffset.UTC);

  private JsonFields() {}

  /** {@code t} in RFC 3339; {@code null} as Go's zero time. */
  static String time(Instant t) {
    return t == null ? GO_ZERO_TIME : RFC3339.format(t);
  }

  /** {@code "field": {"name": "value", ...}}. */
  static void writeLabels(JsonGenerator g, String field, Labels labels) throws IOException {
    g.writeObjectFieldStart(field);
    for (int i = 0; i < labels.size(); i++) {
      g.writeStringField(labels.name(i), labels.value(i));
    }
    g.writeEndObject();
  }

  /** {@code "field": seconds}, a number as Prometheus formats floats. */
  static void writeSeconds(JsonGenerator g, String field, Duration d) throws IOException {
    writeNumber(g, field, d.toNanos() / 1e9);
  }

  /** {@code "field": v}, a number as Prometheus formats floats. */
  static void writeNumber(JsonGenerator g, String field, double v) throws IOException {
    g.writeFieldName(field);
    g.writeNumber(ApiJsonWriter.formatFloat(v));
  }
}
