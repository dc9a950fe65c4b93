package dev.orrery.core.storage;

import java.util.List;

/**
 * A pull cursor over series in label order (when sorted selection was asked for). Confined to one thread;
 * {@link #at()} is valid after {@link #next()} returned true, until the next call. Failures surface as unchecked
 * {@link dev.orrery.core.OrreryException}s from {@code next()}.
 */
public interface SeriesSet {
  /** Advances to the next series. */
  boolean next();

  /** The current series. */
  Series at();

  /** Non-fatal problems met so far (for example a store that failed under partial response). */
  default List<String> warnings() {
    return List.of();
  }

  /** The series of {@code series}, in list order (the caller sorts them when the set must be sorted). */
  static SeriesSet of(List<? extends Series> series) {
    List<Series> list = List.copyOf(series);
    return new SeriesSet() {
      private int i = -1;

      @Override
      public boolean next() {
        return ++i < list.size();
      }

      @Override
      public Series at() {
        return list.get(i);
      }
    };
  }

  /** The set with no series. */
  static SeriesSet empty() {
    return EmptySeriesSet.INSTANCE;
  }
}
