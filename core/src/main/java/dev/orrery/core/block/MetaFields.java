package dev.orrery.core.block;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orrery.core.io.CorruptBlockException;
import java.util.List;

/** Typed field access for meta.json parsing; every failure names the file and the field. */
final class MetaFields {
  private final String resource;

  MetaFields(String resource) {
    this.resource = resource;
  }

  CorruptBlockException bad(String field, String problem) {
    return new CorruptBlockException(resource, -1, "field \"" + field + "\": " + problem);
  }

  long requiredLong(JsonNode obj, String field) throws CorruptBlockException {
    JsonNode n = obj.get(field);
    if (n == null || n.isNull()) {
      throw bad(field, "missing");
    }
    if (!n.isIntegralNumber() || !n.canConvertToLong()) {
      throw bad(field, "want an integer, got " + n);
    }
    return n.longValue();
  }

  long optLong(JsonNode obj, String field) throws CorruptBlockException {
    JsonNode n = obj.get(field);
    if (n == null || n.isNull()) {
      return 0;
    }
    if (!n.isIntegralNumber() || !n.canConvertToLong()) {
      throw bad(field, "want an integer, got " + n);
    }
    return n.longValue();
  }

  boolean optBool(JsonNode obj, String field) throws CorruptBlockException {
    JsonNode n = obj.get(field);
    if (n == null || n.isNull()) {
      return false;
    }
    if (!n.isBoolean()) {
      throw bad(field, "want a boolean, got " + n);
    }
    return n.booleanValue();
  }

  JsonNode object(JsonNode obj, String field, boolean required) throws CorruptBlockException {
    JsonNode n = obj.get(field);
    if (n == null || n.isNull()) {
      if (required) {
        throw bad(field, "missing");
      }
      return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    }
    if (!n.isObject()) {
      throw bad(field, "want an object, got " + n.getNodeType());
    }
    return n;
  }

  Iterable<JsonNode> array(JsonNode obj, String field) throws CorruptBlockException {
    JsonNode n = obj.get(field);
    if (n == null || n.isNull()) {
      return List.of();
    }
    if (!n.isArray()) {
      throw bad(field, "want an array, got " + n.getNodeType());
    }
    return n;
  }

  String text(JsonNode n, String field) throws CorruptBlockException {
    if (n == null || !n.isTextual()) {
      throw bad(field, "want a string, got " + n);
    }
    return n.textValue();
  }

  Ulid ulid(JsonNode obj, String field) throws CorruptBlockException {
    JsonNode n = obj.get(field);
    if (n == null) {
      throw bad(field, "missing");
    }
    return ulidValue(n, field);
  }

  Ulid ulidValue(JsonNode n, String field) throws CorruptBlockException {
    String s = text(n, field);
    if (!Ulid.isValid(s)) {
      throw bad(field, "invalid ULID \"" + s + "\"");
    }
    return Ulid.parse(s);
  }
}
