package dev.orrery.promql.plan;

/**
 * The query parameters optimisers may use. Immutable.
 *
 * @param startMillis the first evaluation time
 * @param endMillis the last evaluation time (equal to start for instant queries)
 * @param stepMillis the step, 0 for instant queries
 */
public record PlanContext(long startMillis, long endMillis, long stepMillis) {}
