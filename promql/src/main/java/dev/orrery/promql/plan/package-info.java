/**
 * The logical plan: the parsed AST after a list of {@link dev.orrery.promql.plan.Optimizer}s has rewritten it
 * (resolving {@code @ start()}/{@code @ end()}, marking step-invariant sub-expressions so they are computed once,
 * ordering selector matchers by selectivity). Plans are immutable trees of AST records.
 */
package dev.orrery.promql.plan;
