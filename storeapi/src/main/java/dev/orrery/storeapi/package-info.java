/**
 * The Thanos StoreAPI in Java: the {@link dev.orrery.storeapi.StoreApi} contract that the store gateway, the sidecar
 * and the fan-out querier implement, its gRPC binding ({@link dev.orrery.storeapi.StoreServices}, with Thanos'
 * Metadata, Rules, Exemplars and Targets APIs for stores that also serve those), and conversions between the wire
 * messages and {@code core}'s labels, matchers, metadata, rules, exemplars and targets.
 */
@NullMarked
package dev.orrery.storeapi;

import org.jspecify.annotations.NullMarked;
