package dev.orrery.promql.http;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.orrery.core.labels.Labels;
import dev.orrery.core.storage.StoreStatus;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Store endpoints in the JSON of Thanos' {@code /api/v1/stores}: an object from component type ({@code sidecar},
 * {@code store}, {@code rule}, ...) to that type's endpoints, each with {@code name}, {@code lastCheck}, {@code
 * lastError} ({@code null} when healthy), {@code labelSets}, {@code minTime} and {@code maxTime}.
 */
final class StoresJson {
  private StoresJson() {}

  static void write(ApiJsonWriter json, List<StoreStatus> stores) throws IOException {
    Map<String, List<StoreStatus>> byType = new LinkedHashMap<>();
    for (StoreStatus s : stores) {
      byType.computeIfAbsent(s.componentType(), t -> new ArrayList<>()).add(s);
    }
    JsonGenerator g = json.generator();
    g.writeStartObject();
    for (Map.Entry<String, List<StoreStatus>> type : byType.entrySet()) {
      g.writeArrayFieldStart(type.getKey());
      for (StoreStatus s : type.getValue()) {
        g.writeStartObject();
        g.writeStringField("name", s.name());
        g.writeStringField("lastCheck", JsonFields.time(s.lastCheck()));
        if (s.lastError() == null) {
          g.writeNullField("lastError");
        } else {
          g.writeStringField("lastError", s.lastError());
        }
        g.writeArrayFieldStart("labelSets");
        for (Labels set : s.labelSets()) {
          g.writeStartObject();
          for (int i = 0; i < set.size(); i++) {
            g.writeStringField(set.name(i), set.value(i));
          }
          g.writeEndObject();
        }
        g.writeEndArray();
        g.writeNumberField("minTime", s.minTimeMillis());
        g.writeNumberField("maxTime", s.maxTimeMillis());
        g.writeEndObject();
      }
      g.writeEndArray();
    }
    g.writeEndObject();
  }
}
