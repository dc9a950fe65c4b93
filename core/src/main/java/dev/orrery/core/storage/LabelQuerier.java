package dev.orrery.core.storage;

import dev.orrery.core.labels.Matcher;
import java.util.List;

/** Label names and values over a time range. Closed by whoever opened it. */
public interface LabelQuerier extends AutoCloseable {
  /** Sorted (UTF-8 byte order), distinct label names of the series that match all {@code matchers}. */
  List<String> labelNames(Matcher... matchers);

  /** Sorted, distinct values of label {@code name} over the series that match all {@code matchers}. */
  List<String> labelValues(String name, Matcher... matchers);

  /** Releases the querier; views it returned become invalid. Idempotent. */
  @Override
  void close();
}
