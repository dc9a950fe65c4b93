package dev.orrery.promql.rules;

import dev.orrery.promql.rules.AlertmanagerNotifier.Alert;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/**
 * The JSON body of Alertmanager's {@code POST /api/v2/alerts} ({@code PostableAlerts} in its OpenAPI spec): an array
 * of {@code {"labels":{...},"annotations":{...},"startsAt":"...","endsAt":"...","generatorURL":"..."}}, times in
 * RFC 3339 UTC with milliseconds as Prometheus sends them. Written by hand: outside the HTTP API the promql module
 * keeps off Jackson (see the module's dependency test).
 */
final class PostableAlerts {
  private static final DateTimeFormatter RFC_3339_MILLIS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private PostableAlerts() {}

  /** The alerts as a UTF-8 JSON array. */
  static byte[] encode(List<Alert> alerts) {
    StringBuilder sb = new StringBuilder(256 * alerts.size() + 2);
    sb.append('[');
    for (int i = 0; i < alerts.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      Alert alert = alerts.get(i);
      sb.append("{\"labels\":");
      appendObject(sb, alert.labels());
      sb.append(",\"annotations\":");
      appendObject(sb, alert.annotations());
      sb.append(",\"startsAt\":");
      appendString(sb, formatTime(alert.startsAt()));
      sb.append(",\"endsAt\":");
      appendString(sb, formatTime(alert.endsAt()));
      sb.append(",\"generatorURL\":");
      appendString(sb, alert.generatorUrl());
      sb.append('}');
    }
    sb.append(']');
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** {@code 2024-01-01T00:00:00.000Z}. */
  static String formatTime(Instant t) {
    return RFC_3339_MILLIS.format(t);
  }

  private static void appendObject(StringBuilder sb, Map<String, String> map) {
    sb.append('{');
    boolean first = true;
    for (Map.Entry<String, String> e : map.entrySet()) {
      if (!first) {
        sb.append(',');
      }
      first = false;
      appendString(sb, e.getKey());
      sb.append(':');
      appendString(sb, e.getValue());
    }
    sb.append('}');
  }

  // RFC 8259 escaping; U+2028 and U+2029 too, as Go's encoding/json does.
  private static void appendString(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        default -> {
          if (c < 0x20 || c == '\u2028' || c == '\u2029') {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }
}
