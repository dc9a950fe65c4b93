package dev.orrery.core.storage;

import dev.orrery.core.labels.Matcher;

/**
 * Selects series over the time range it was opened for (Prometheus' {@code storage.Querier}). Series, labels and
 * iterators it returns are valid until {@link #close()}.
 */
public interface Querier extends LabelQuerier {
  /**
   * The series that match all {@code matchers}, with samples restricted to the querier's time range.
   *
   * @param sorted whether the result must be in label order (needed for merging)
   * @param hints what the caller will do with the series; may be {@code null}
   */
  SeriesSet select(boolean sorted, SelectHints hints, Matcher... matchers);
}
