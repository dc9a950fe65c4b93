/**
 * The PromQL abstract syntax tree: an immutable tree of records under the sealed interface {@link
 * dev.orrery.promql.ast.Expr}, mirroring Prometheus' {@code promql/parser/ast.go} (3.x) so that later layers (logical
 * plan, optimisers, distributed execution) can pattern-match and rewrite it with exhaustive {@code switch}es.
 *
 * <p>Every node knows its {@link dev.orrery.promql.ast.PositionRange} in the query text and its {@link
 * dev.orrery.promql.ast.ValueType}. {@link dev.orrery.promql.ast.PromqlPrinter} (also every node's {@code toString()})
 * turns a tree back into canonical PromQL. Components are non-null unless their Javadoc says otherwise.
 */
package dev.orrery.promql.ast;
