package dev.orrery.core.storage;

import dev.orrery.core.chunk.SampleIterator;
import dev.orrery.core.labels.Labels;

/** One series of a {@link SeriesSet}: its labels and a way to iterate its samples. */
public interface Series {
  /** The series' labels. */
  Labels labels();

  /**
   * An iterator over the series' samples in the selected time range. Passes {@code reuse} back when it is an iterator
   * this series can re-point (to avoid allocation); {@code null} is allowed.
   */
  SampleIterator iterator(SampleIterator reuse);
}
