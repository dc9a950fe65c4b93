package dev.orrery.core.block;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Writes JSON exactly as Go's {@code json.MarshalIndent(v, "", "\t")} does: one key per line, tab indentation,
 * {@code "key": value}, empty objects and arrays as {@code {}} and {@code []}, and Go's string escapes (including
 * {@code <}, {@code >}, {@code &} as {@code \u003c} ...). Keys are written in the order the caller gives them.
 * Confined to one thread.
 */
final class GoJsonWriter {
  private final StringBuilder out = new StringBuilder(512);
  private int depth;
  // Per nesting level: whether the current object/array already has an element.
  private final boolean[] hasElement = new boolean[64];

  GoJsonWriter beginObject() {
    out.append('{');
    push();
    return this;
  }

  GoJsonWriter endObject() {
    return close('}');
  }

  GoJsonWriter beginArray() {
    out.append('[');
    push();
    return this;
  }

  GoJsonWriter endArray() {
    return close(']');
  }

  /** Starts a member of the current object; follow with a value or a begin call. */
  GoJsonWriter key(String name) {
    element();
    string(name);
    out.append(": ");
    return this;
  }

  /** Starts an element of the current array. */
  GoJsonWriter arrayElement() {
    element();
    return this;
  }

  GoJsonWriter value(long v) {
    out.append(v);
    return this;
  }

  GoJsonWriter value(boolean v) {
    out.append(v);
    return this;
  }

  GoJsonWriter value(String s) {
    string(s);
    return this;
  }

  /** Writes an opaque JSON value (kept from a parsed file) in the same style; object keys keep their order. */
  GoJsonWriter value(JsonNode node) {
    if (node.isObject()) {
      beginObject();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        key(e.getKey()).value(e.getValue());
      }
      return endObject();
    }
    if (node.isArray()) {
      beginArray();
      for (JsonNode n : node) {
        arrayElement().value(n);
      }
      return endArray();
    }
    if (node.isTextual()) {
      return value(node.textValue());
    }
    out.append(node.toString());
    return this;
  }

  private void push() {
    depth++;
    hasElement[depth] = false;
  }

  private GoJsonWriter close(char c) {
    boolean had = hasElement[depth];
    depth--;
    if (had) {
      newline();
    }
    out.append(c);
    return this;
  }

  private void element() {
    if (hasElement[depth]) {
      out.append(',');
    }
    hasElement[depth] = true;
    newline();
  }

  private void newline() {
    out.append('\n');
    for (int i = 0; i < depth; i++) {
      out.append('\t');
    }
  }

  private void string(String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '<', '>', '&', '\u2028', '\u2029' -> out.append(String.format("\\u%04x", (int) c));
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  @Override
  public String toString() {
    return out.toString();
  }
}
