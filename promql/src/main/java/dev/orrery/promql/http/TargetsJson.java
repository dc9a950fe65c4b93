package dev.orrery.promql.http;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.orrery.core.targets.ActiveTarget;
import dev.orrery.core.targets.DroppedTarget;
import dev.orrery.core.targets.TargetDiscovery;
import java.io.IOException;

/** Scrape targets in the JSON of {@code /api/v1/targets}, as Thanos' querier writes them. */
final class TargetsJson {
  private TargetsJson() {}

  /** Writes {@code {"activeTargets": [...], "droppedTargets": [...]}}. */
  static void write(ApiJsonWriter json, TargetDiscovery targets) throws IOException {
    JsonGenerator g = json.generator();
    g.writeStartObject();
    g.writeArrayFieldStart("activeTargets");
    for (ActiveTarget t : targets.active()) {
      g.writeStartObject();
      JsonFields.writeLabels(g, "discoveredLabels", t.discoveredLabels());
      JsonFields.writeLabels(g, "labels", t.labels());
      g.writeStringField("scrapePool", t.scrapePool());
      g.writeStringField("scrapeUrl", t.scrapeUrl());
      g.writeStringField("globalUrl", t.globalUrl());
      g.writeStringField("lastError", t.lastError());
      g.writeStringField("lastScrape", JsonFields.time(t.lastScrape()));
      JsonFields.writeNumber(g, "lastScrapeDuration", t.lastScrapeDurationSeconds());
      g.writeStringField("health", t.health());
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeArrayFieldStart("droppedTargets");
    for (DroppedTarget t : targets.dropped()) {
      g.writeStartObject();
      JsonFields.writeLabels(g, "discoveredLabels", t.discoveredLabels());
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
  }
}
