/**
 * Operators for functions over instant vectors: element-wise math, histogram functions, label manipulation,
 * sorting, {@code absent}, {@code scalar}/{@code vector} and the time functions.
 */
package dev.orrery.promql.exec.function;
