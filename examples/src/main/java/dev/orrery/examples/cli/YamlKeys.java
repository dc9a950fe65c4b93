package dev.orrery.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;

/** Strict reading of configuration files: a key Orrery does not know is an error naming it, never ignored. */
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
}
