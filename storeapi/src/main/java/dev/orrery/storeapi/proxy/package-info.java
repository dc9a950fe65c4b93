/**
 * The querier side of the StoreAPI: a set of endpoints ({@link dev.orrery.storeapi.proxy.EndpointSet}) learnt through
 * {@code Info}, a fan-out of {@code Series} with pruning, per-endpoint timeouts, a k-way merge in label order and
 * partial response, exposed both as a {@code core} {@link dev.orrery.core.storage.Queryable} with replica
 * deduplication ({@link dev.orrery.storeapi.proxy.ProxyQueryable}) and as a StoreAPI itself
 * ({@link dev.orrery.storeapi.proxy.ProxyStore}), so queriers can be stacked. The proxy also fans out Thanos' Metadata,
 * Rules, Exemplars and Targets APIs to the endpoints that announce them and merges their answers.
 */
@NullMarked
package dev.orrery.storeapi.proxy;

import org.jspecify.annotations.NullMarked;
