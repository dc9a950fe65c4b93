/**
 * Physical execution: operators that exchange {@link dev.orrery.promql.exec.StepVector}s (all series of one step, in
 * primitive arrays) in batches. Every operator lists its output series first ({@link
 * dev.orrery.promql.exec.VectorOperator#series()}), so parents size their tables once and address series by dense
 * integer ids. Operators are confined to the thread of their query.
 */
package dev.orrery.promql.exec;
