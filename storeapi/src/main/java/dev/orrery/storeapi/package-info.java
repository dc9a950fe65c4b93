/**
 * The Thanos StoreAPI in Java: the {@link dev.orrery.storeapi.StoreApi} contract that the store gateway, the sidecar
 * and the fan-out querier implement, its gRPC binding ({@link dev.orrery.storeapi.StoreServices}, with Thanos'
 * Metadata and Rules APIs for stores that also serve metadata or rules), and conversions between the wire messages
 * and {@code core}'s labels, matchers, metadata and rules.
 */
@NullMarked
package dev.orrery.storeapi;

import org.jspecify.annotations.NullMarked;
