package dev.orrery.objstore.block;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orrery.core.block.Ulid;
import dev.orrery.core.io.CorruptBlockException;
import java.io.IOException;

/** The field readers shared by {@link DeletionMark} and {@link NoCompactMark}. */
final class MarkerJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private MarkerJson() {}

  static JsonNode read(byte[] json, String resource) throws CorruptBlockException {
    try {
      JsonNode node = JSON.readTree(json);
      if (node == null || !node.isObject()) {
        throw new CorruptBlockException(resource, -1, "marker is not a JSON object");
      }
      return node;
    } catch (CorruptBlockException e) {
      throw e;
    } catch (IOException e) {
      throw new CorruptBlockException(resource, -1, "invalid JSON: " + e.getMessage());
    }
  }

  static void checkVersion(JsonNode node, String resource) throws CorruptBlockException {
    JsonNode version = node.get("version");
    if (version == null || !version.canConvertToInt() || version.asInt() != 1) {
      throw new CorruptBlockException(resource, -1, "unsupported marker version " + version + ", want 1");
    }
  }

  static Ulid id(JsonNode node, String resource) throws CorruptBlockException {
    JsonNode id = node.get("id");
    if (id == null || !id.isTextual() || !Ulid.isValid(id.asText())) {
      throw new CorruptBlockException(resource, -1, "field id: want a ULID, got " + id);
    }
    return Ulid.parse(id.asText());
  }

  static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? "" : value.asText();
  }

  static long number(JsonNode node, String field, String resource) throws CorruptBlockException {
    JsonNode value = node.get(field);
    if (value == null || !value.canConvertToLong()) {
      throw new CorruptBlockException(resource, -1, "field " + field + ": want a number, got " + value);
    }
    return value.asLong();
  }
}
