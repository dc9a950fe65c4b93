package dev.orrery.promql.http;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.orrery.core.labels.Matcher;
import dev.orrery.promql.ast.AggregateExpr;
import dev.orrery.promql.ast.BinaryExpr;
import dev.orrery.promql.ast.Call;
import dev.orrery.promql.ast.DurationExpr;
import dev.orrery.promql.ast.Expr;
import dev.orrery.promql.ast.MatrixSelector;
import dev.orrery.promql.ast.NumberLiteral;
import dev.orrery.promql.ast.ParenExpr;
import dev.orrery.promql.ast.PromqlPrinter;
import dev.orrery.promql.ast.StartOrEnd;
import dev.orrery.promql.ast.StepInvariantExpr;
import dev.orrery.promql.ast.StringLiteral;
import dev.orrery.promql.ast.SubqueryExpr;
import dev.orrery.promql.ast.UnaryExpr;
import dev.orrery.promql.ast.ValueType;
import dev.orrery.promql.ast.VectorMatching;
import dev.orrery.promql.ast.VectorSelector;
import java.io.IOException;
import java.util.List;

/**
 * The {@code data} of {@code /api/v1/parse_query}: the syntax tree as Prometheus' {@code translateAST}
 * ({@code web/api/v1/translate_ast.go}) lays it out for the UI's tree view. Go encodes maps with sorted keys, so every
 * object here writes its fields in alphabetical order.
 */
final class ParseTreeJson {
  private ParseTreeJson() {}

  /** Writes {@code expr} (or {@code null}) as one JSON value. */
  static void write(JsonGenerator g, Expr expr) throws IOException {
    if (expr == null) {
      g.writeNull();
      return;
    }
    switch (expr) {
      case AggregateExpr a -> {
        g.writeStartObject();
        g.writeFieldName("expr");
        write(g, a.expr());
        g.writeFieldName("grouping");
        writeStrings(g, a.grouping());
        g.writeStringField("op", a.op().symbol());
        g.writeFieldName("param");
        write(g, a.param());
        g.writeStringField("type", "aggregation");
        g.writeBooleanField("without", a.without());
        g.writeEndObject();
      }
      case BinaryExpr b -> {
        g.writeStartObject();
        g.writeBooleanField("bool", b.returnBool());
        g.writeFieldName("lhs");
        write(g, b.lhs());
        g.writeFieldName("matching");
        writeMatching(g, b.matching());
        g.writeStringField("op", b.op().symbol());
        g.writeFieldName("rhs");
        write(g, b.rhs());
        g.writeStringField("type", "binaryExpr");
        g.writeEndObject();
      }
      case Call c -> {
        g.writeStartObject();
        g.writeFieldName("args");
        g.writeStartArray();
        for (Expr arg : c.args()) {
          write(g, arg);
        }
        g.writeEndArray();
        g.writeFieldName("func");
        g.writeStartObject();
        g.writeFieldName("argTypes");
        g.writeStartArray();
        for (ValueType t : c.func().argTypes()) {
          g.writeString(t.apiName());
        }
        g.writeEndArray();
        g.writeStringField("name", c.func().functionName());
        g.writeStringField("returnType", c.func().returnType().apiName());
        g.writeNumberField("variadic", c.func().variadic());
        g.writeEndObject();
        g.writeStringField("type", "call");
        g.writeEndObject();
      }
      case MatrixSelector m -> writeSelector(g, m.vectorSelector(), m.rangeMillis(), "matrixSelector");
      case SubqueryExpr s -> {
        g.writeStartObject();
        g.writeFieldName("expr");
        write(g, s.expr());
        g.writeNumberField("offset", s.originalOffsetMillis());
        g.writeNumberField("range", s.rangeMillis());
        writeStartOrEnd(g, s.startOrEnd());
        g.writeNumberField("step", s.stepMillis());
        writeTimestamp(g, s.timestampMillis());
        g.writeStringField("type", "subquery");
        g.writeEndObject();
      }
      case NumberLiteral n -> {
        g.writeStartObject();
        g.writeStringField("type", "numberLiteral");
        g.writeStringField("val", PromqlPrinter.formatGoFloatF(n.value()));
        g.writeEndObject();
      }
      case ParenExpr p -> {
        g.writeStartObject();
        g.writeFieldName("expr");
        write(g, p.expr());
        g.writeStringField("type", "parenExpr");
        g.writeEndObject();
      }
      case StringLiteral s -> {
        g.writeStartObject();
        g.writeStringField("type", "stringLiteral");
        g.writeStringField("val", s.value());
        g.writeEndObject();
      }
      case UnaryExpr u -> {
        g.writeStartObject();
        g.writeFieldName("expr");
        write(g, u.expr());
        g.writeStringField("op", u.op().symbol());
        g.writeStringField("type", "unaryExpr");
        g.writeEndObject();
      }
      case VectorSelector vs -> writeSelector(g, vs, -1, "vectorSelector");
      // Evaluation wraps step-invariant parts; the tree view shows what the user wrote.
      case StepInvariantExpr s -> write(g, s.expr());
      // Experimental duration arithmetic, which translateAST does not know: shown as its PromQL text.
      case DurationExpr d -> {
        g.writeStartObject();
        g.writeStringField("type", "durationExpr");
        g.writeStringField("val", d.toString());
        g.writeEndObject();
      }
    }
  }

  private static void writeMatching(JsonGenerator g, VectorMatching m) throws IOException {
    if (m == null) {
      g.writeNull();
      return;
    }
    g.writeStartObject();
    g.writeStringField("card", m.card().text());
    g.writeFieldName("fillValues");
    g.writeStartObject();
    writeFill(g, "lhs", m.fillLeft());
    writeFill(g, "rhs", m.fillRight());
    g.writeEndObject();
    g.writeFieldName("include");
    writeStrings(g, m.include());
    g.writeFieldName("labels");
    writeStrings(g, m.matchingLabels());
    g.writeBooleanField("on", m.on());
    g.writeEndObject();
  }

  private static void writeFill(JsonGenerator g, String name, Double value) throws IOException {
    g.writeFieldName(name);
    if (value == null) {
      g.writeNull();
    } else {
      // Go's encoding/json writes float64 with 'f' or 'e' format ('e' below 1e-6 and from 1e21).
      g.writeNumber(goJsonNumber(value));
    }
  }

  // encoding/json's floatEncoder: like MarshalFloat, but the exponent has no leading zero (1e-07 becomes 1e-7).
  private static String goJsonNumber(double v) {
    String s = ApiJsonWriter.formatFloat(v);
    int e = s.indexOf('e');
    if (e > 0 && s.length() - e == 4 && s.charAt(e + 2) == '0') {
      s = s.substring(0, e + 2) + s.substring(e + 3);
    }
    return s;
  }

  // A vector selector, or a matrix selector's when rangeMillis >= 0; keys in the sorted order of Go's maps.
  private static void writeSelector(JsonGenerator g, VectorSelector vs, long rangeMillis, String type)
      throws IOException {
    g.writeStartObject();
    g.writeBooleanField("anchored", vs.anchored());
    g.writeFieldName("matchers");
    writeMatchers(g, vs.matchers());
    g.writeStringField("name", vs.name());
    g.writeNumberField("offset", vs.originalOffsetMillis());
    if (rangeMillis >= 0) {
      g.writeNumberField("range", rangeMillis);
    }
    g.writeBooleanField("smoothed", vs.smoothed());
    writeStartOrEnd(g, vs.startOrEnd());
    writeTimestamp(g, vs.timestampMillis());
    g.writeStringField("type", type);
    g.writeEndObject();
  }

  private static void writeMatchers(JsonGenerator g, List<Matcher> matchers) throws IOException {
    g.writeStartArray();
    for (Matcher m : matchers) {
      g.writeStartObject();
      g.writeStringField("name", m.name());
      g.writeStringField("type", m.type().symbol());
      g.writeStringField("value", m.value());
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  private static void writeStrings(JsonGenerator g, List<String> values) throws IOException {
    g.writeStartArray();
    for (String v : values) {
      g.writeString(v);
    }
    g.writeEndArray();
  }

  private static void writeStartOrEnd(JsonGenerator g, StartOrEnd startOrEnd) throws IOException {
    g.writeFieldName("startOrEnd");
    if (startOrEnd == null) {
      g.writeNull();
    } else {
      g.writeString(startOrEnd == StartOrEnd.START ? "start" : "end");
    }
  }

  private static void writeTimestamp(JsonGenerator g, Long timestampMillis) throws IOException {
    g.writeFieldName("timestamp");
    if (timestampMillis == null) {
      g.writeNull();
    } else {
      g.writeNumber(timestampMillis);
    }
  }
}
