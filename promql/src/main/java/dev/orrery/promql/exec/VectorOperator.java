package dev.orrery.promql.exec;

import java.util.List;

/**
 * A physical operator: a pull cursor over the steps of its grid that fills caller-owned {@link StepVector}s.
 * {@link #series()} lists the output series (ids are indexes into it) and is called before {@link #next}. Confined to
 * the query's thread.
 */
public interface VectorOperator {
  /** The output series in id order. Cheap after the first call. */
  List<SeriesInfo> series();

  /**
   * Fills up to {@code buf.length} next steps, each reset to its timestamp first.
   *
   * @return the number of steps filled; 0 when all steps were returned
   */
  int next(StepVector[] buf);

  /** The operator's inputs, for EXPLAIN. */
  List<VectorOperator> children();

  /** One line describing this operator, for EXPLAIN. */
  String describe();
}
