package dev.orrery.storeapi.sidecar;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orrery.core.labels.Labels;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.TreeMap;

/** Fields of Prometheus' JSON status APIs: string maps, label sets, and RFC 3339 times with Go's zero for "never". */
final class PrometheusJson {
  private static final String GO_ZERO_TIME = "0001-01-01T00:00:00Z";

  private PrometheusJson() {}

  /** A JSON object of strings as a sorted map. */
  static Map<String, String> map(JsonNode object) {
    Map<String, String> out = new TreeMap<>();
    object.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
    return out;
  }

  /** A JSON object of strings as labels. */
  static Labels labels(JsonNode object) {
    return Labels.of(map(object));
  }

  /**
   * An RFC 3339 time; absent, empty or Go's zero time is {@code null}.
   *
   * @throws IOException naming {@code where} for a time that does not parse
   */
  static Instant time(JsonNode n, String where) throws IOException {
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
