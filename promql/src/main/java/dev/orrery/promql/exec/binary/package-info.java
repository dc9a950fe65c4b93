/**
 * Binary operators: scalar-scalar, vector-scalar, vector-vector with {@code on}/{@code ignoring},
 * {@code group_left}/{@code group_right} and {@code fill}, and the set operators {@code and}, {@code or},
 * {@code unless}.
 */
package dev.orrery.promql.exec.binary;
