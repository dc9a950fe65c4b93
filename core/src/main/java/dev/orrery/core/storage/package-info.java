/**
 * The storage API the rest of Orrery builds on: {@link dev.orrery.core.storage.Queryable} opens a {@link
 * dev.orrery.core.storage.Querier}, whose {@code select} returns a pull {@link dev.orrery.core.storage.SeriesSet} of
 * series with primitive sample iterators; plus merging of sorted series sets, and the other things a store can answer
 * besides series: metric metadata ({@link dev.orrery.core.storage.MetricMetadataSource}) and exemplars ({@link
 * dev.orrery.core.storage.ExemplarSource}).
 */
package dev.orrery.core.storage;
