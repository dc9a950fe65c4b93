package dev.orrery.promql.exec.scan;

import java.util.List;

/**
 * Where range windows come from: a matrix selector (samples from storage) or a subquery (an inner evaluation
 * materialized per series). The series cover every window the outer grid needs.
 */
public interface RangeSource {
  /** The series with their samples. */
  List<SeriesData> series();

  /** The window length. */
  long rangeMillis();

  /** The window end for outer step {@code t}: {@code (@ or t) - offset}. */
  long windowEnd(long t);

  /** True when windows also use samples outside them (the anchored and smoothed modifiers). */
  default boolean looksOutside() {
    return false;
  }

  /** How far past a window's end its samples are used (the smoothed modifier interpolates there). */
  default long lookaheadMillis() {
    return 0;
  }

  /** The metric name selected, or "" when unknown (for annotations). */
  default String describe() {
    return "";
  }
}
