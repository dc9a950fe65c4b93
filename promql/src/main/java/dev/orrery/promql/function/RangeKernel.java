package dev.orrery.promql.function;

/** A range function evaluated on one window; returns false when the series has no result at this step. */
@FunctionalInterface
public interface RangeKernel {
  /** Computes the function over {@code w} into {@code out}. */
  boolean apply(RangeWindow w, KernelOutput out);
}
