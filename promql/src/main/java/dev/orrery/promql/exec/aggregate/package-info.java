/** Aggregation operators: {@code sum}, {@code avg}, ..., {@code topk}/{@code bottomk}/{@code limitk}, {@code count_values}. */
package dev.orrery.promql.exec.aggregate;
