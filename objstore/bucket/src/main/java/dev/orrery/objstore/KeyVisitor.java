package dev.orrery.objstore;

import java.io.IOException;

/**
 * Receives the keys found by {@link Bucket#iterate}. Throwing stops the iteration, and the exception reaches the
 * caller of {@code iterate} unchanged.
 */
@FunctionalInterface
public interface KeyVisitor {
  /**
   * Called once per entry.
   *
   * @param key an object key, or a directory (ending in {@code /}) in flat mode; always relative to the bucket root
   * @throws IOException to stop the iteration
   */
  void visit(String key) throws IOException;
}
