package dev.orrery.objstore;

import java.time.Instant;

import static java.util.Objects.requireNonNull;

/**
 * What a bucket knows about one object without reading it.
 *
 * @param sizeBytes the object's length in bytes, {@code >= 0}
 * @param lastModified when the object was last written, as reported by the store (second or millisecond precision
 *     depending on the store)
 */
public record ObjectAttributes(long sizeBytes, Instant lastModified) {
  /** Checks the values. */
  public ObjectAttributes {
    if (sizeBytes < 0) {
      throw new IllegalArgumentException("sizeBytes must be >= 0, got " + sizeBytes);
    }
    requireNonNull(lastModified, "lastModified is null");
  }
}
