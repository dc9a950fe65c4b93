package dev.orrery.core.storage;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Something that can be queried: a block, a set of blocks, a remote store (Prometheus' {@code storage.Queryable}). */
public interface Queryable {
  /**
   * Opens a querier over {@code [minTimeMillis, maxTimeMillis]} (inclusive). The caller closes it.
   *
   * @throws IOException if the underlying storage cannot be opened
   */
  Querier querier(long minTimeMillis, long maxTimeMillis) throws IOException;

  /** {@code queryables} queried as one: each querier opened over the same range, merged by {@link MergeQuerier}. */
  static Queryable merge(List<? extends Queryable> queryables) {
    List<Queryable> all = List.copyOf(queryables);
    return (minTimeMillis, maxTimeMillis) -> {
      List<Querier> opened = new ArrayList<>(all.size());
      try {
        for (Queryable q : all) {
          opened.add(q.querier(minTimeMillis, maxTimeMillis));
        }
      } catch (IOException | RuntimeException e) {
        opened.forEach(Querier::close);
        throw e;
      }
      return new MergeQuerier(opened);
    };
  }
}
