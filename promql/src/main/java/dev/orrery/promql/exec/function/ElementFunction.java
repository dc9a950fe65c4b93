package dev.orrery.promql.exec.function;

/** A function applied to each float sample with up to two per-step scalar arguments. */
@FunctionalInterface
public interface ElementFunction {
  /** The result for {@code v} at step time {@code tMillis}. */
  double apply(double v, double arg0, double arg1, long tMillis);
}
