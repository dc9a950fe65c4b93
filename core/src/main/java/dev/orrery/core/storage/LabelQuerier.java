package dev.orrery.core.storage;

import dev.orrery.core.labels.Matcher;
import java.util.List;

/** Label names and values over a time range. Closed by whoever opened it. */
public interface LabelQuerier extends AutoCloseable {
  /** Sorted (UTF-8 byte order), distinct label names of the series that match all {@code matchers}. */
  List<String> labelNames(Matcher... matchers);

  /** Sorted, distinct values of label {@code name} over the series that match all {@code matchers}. */
  List<String> labelValues(String name, Matcher... matchers);

  /**
   * {@link #labelNames(Matcher...)} with the caller's per-query store options. A querier over remote stores honours
   * {@link StoreOptions#partialResponse()}: a store that fails becomes a warning (see {@link #labelWarnings()}), or the
   * call fails naming it. Queriers without remote stores have nothing that can fail that way and ignore the options.
   */
  default List<String> labelNames(StoreOptions options, Matcher... matchers) {
    return labelNames(matchers);
  }

  /** {@link #labelValues(String, Matcher...)} with the caller's per-query store options, as {@link #labelNames}. */
  default List<String> labelValues(StoreOptions options, String name, Matcher... matchers) {
    return labelValues(name, matchers);
  }

  /** Warnings of the label calls made through this querier so far, such as stores that failed under partial response. */
  default List<String> labelWarnings() {
    return List.of();
  }

  /** Releases the querier; views it returned become invalid. Idempotent. */
  @Override
  void close();
}
