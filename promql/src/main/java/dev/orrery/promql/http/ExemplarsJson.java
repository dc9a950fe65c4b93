package dev.orrery.promql.http;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.orrery.core.labels.Matcher;
import dev.orrery.core.storage.Exemplar;
import dev.orrery.core.storage.ExemplarSeries;
import dev.orrery.promql.ast.Expr;
import dev.orrery.promql.ast.VectorSelector;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code /api/v1/query_exemplars} as Prometheus answers it: the query's selectors pick the series, and the answer is
 * {@code [{"seriesLabels": {...}, "exemplars": [{"labels": {...}, "value": "1", "timestamp": 1700000000.5}]}]}.
 */
final class ExemplarsJson {
  private ExemplarsJson() {}

  /** The matchers of every vector selector in {@code expr}, in query order (Prometheus' {@code ExtractSelectors}). */
  static List<List<Matcher>> selectors(Expr expr) {
    List<List<Matcher>> out = new ArrayList<>();
    collect(expr, out);
    return out;
  }

  private static void collect(Expr expr, List<List<Matcher>> out) {
    if (expr instanceof VectorSelector v) {
      out.add(v.matchers());
    }
    for (Expr child : expr.children()) {
      collect(child, out);
    }
  }

  static void write(ApiJsonWriter json, List<ExemplarSeries> series) throws IOException {
    JsonGenerator g = json.generator();
    g.writeStartArray();
    for (ExemplarSeries s : series) {
      g.writeStartObject();
      g.writeFieldName("seriesLabels");
      json.writeLabels(s.seriesLabels());
      g.writeArrayFieldStart("exemplars");
      for (Exemplar e : s.exemplars()) {
        g.writeStartObject();
        g.writeFieldName("labels");
        json.writeLabels(e.labels());
        g.writeFieldName("value");
        json.writeFloat(e.value());
        g.writeFieldName("timestamp");
        json.writeTimestamp(e.timestampMillis());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    g.writeEndArray();
  }
}
