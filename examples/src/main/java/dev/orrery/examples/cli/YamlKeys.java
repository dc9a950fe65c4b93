package dev.orrery.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reading of YAML configuration files: strictly (a key Orrery does not know is an error naming it, never ignored), and
 * with file names relative to the configuration's directory, as Prometheus resolves them.
 */
final class YamlKeys {
  private YamlKeys() {}

  /**
   * Checks that {@code node} is a mapping of {@code known} keys.
   *
   * @param file how to name the file in errors, e.g. {@code --http.config web.yml}
   * @param path where {@code node} is in the file, e.g. {@code tls_server_config}; empty for the top level
   * @throws IllegalArgumentException naming the file, the path and the key
   */
  static void check(JsonNode node, Set<String> known, String file, String path) {
    if (!node.isObject()) {
      throw new IllegalArgumentException(file + ": " + (path.isEmpty() ? "" : path + ": ") + "expected a mapping");
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!known.contains(key)) {
        throw new IllegalArgumentException(file + ": " + (path.isEmpty() ? "" : path + ".") + key
            + ": not supported (known: " + String.join(", ", new TreeSet<>(known)) + ")");
      }
    }
  }

  /** The file named by {@code key} of {@code node}, resolved against {@code dir}; {@code null} when not set. */
  static Path path(JsonNode node, String key, Path dir) {
    String value = node.path(key).asText("");
    return value.isEmpty() ? null : dir.resolve(value);
  }

  /**
   * The entries of a mapping, none when it is absent.
   *
   * @throws IllegalArgumentException starting with {@code where} when the node is something else
   */
  static List<Map.Entry<String, JsonNode>> mapping(JsonNode node, String where, String of) {
    if (node.isMissingNode() || node.isNull()) {
      return List.of();
    }
    if (!node.isObject()) {
      throw new IllegalArgumentException(where + ": expected a mapping of " + of);
    }
    List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
    node.fields().forEachRemaining(entries::add);
    return entries;
  }

  /**
   * The items of a list, none when it is absent.
   *
   * @throws IllegalArgumentException starting with {@code where} when the node is something else
   */
  static List<JsonNode> list(JsonNode node, String where) {
    if (node.isMissingNode() || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw new IllegalArgumentException(where + ": expected a list");
    }
    List<JsonNode> items = new ArrayList<>();
    node.forEach(items::add);
    return items;
  }
}
