package dev.orrery.core.storage;

import java.io.IOException;

/** Something that can be queried: a block, a set of blocks, a remote store (Prometheus' {@code storage.Queryable}). */
public interface Queryable {
  /**
   * Opens a querier over {@code [minTimeMillis, maxTimeMillis]} (inclusive). The caller closes it.
   *
   * @throws IOException if the underlying storage cannot be opened
   */
  Querier querier(long minTimeMillis, long maxTimeMillis) throws IOException;
}
