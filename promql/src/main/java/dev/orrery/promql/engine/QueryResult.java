package dev.orrery.promql.engine;

import java.util.List;

/**
 * The value of a query, one of Prometheus' four result types, plus the annotations raised while computing it.
 * Immutable.
 */
public sealed interface QueryResult {

  /** Infos and warnings raised during evaluation. */
  Annotations annotations();

  /** A scalar at the evaluation time (instant queries only). */
  record Scalar(long timestampMillis, double value, Annotations annotations) implements QueryResult {}

  /** A string at the evaluation time (instant queries only). */
  record StringResult(long timestampMillis, String value, Annotations annotations) implements QueryResult {}

  /**
   * An instant vector. The samples are in the order Prometheus returns them: sorted by labels unless the query's
   * outermost operation fixes an order ({@code sort}, {@code topk}, ...).
   */
  record Vector(List<Sample> samples, Annotations annotations) implements QueryResult {
    /** Copies the list. */
    public Vector {
      samples = List.copyOf(samples);
    }
  }

  /** A range vector: the result of every range query and of an instant query for a range selector. */
  record Matrix(List<TimeSeries> series, Annotations annotations) implements QueryResult {
    /** Copies the list. */
    public Matrix {
      series = List.copyOf(series);
    }
  }
}
