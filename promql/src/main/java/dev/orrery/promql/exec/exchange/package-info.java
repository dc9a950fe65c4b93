/**
 * Exchange operators: the visible places where a query's evaluation crosses threads. Parallelism exists only where
 * the plan shows such an operator, and only when the engine was given an {@link java.util.concurrent.Executor}.
 */
package dev.orrery.promql.exec.exchange;
