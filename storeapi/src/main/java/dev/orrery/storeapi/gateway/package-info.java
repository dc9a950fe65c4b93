/**
 * The store gateway: {@link dev.orrery.storeapi.gateway.BucketStore} serves the StoreAPI over the blocks of a bucket
 * with a local index-header per block ({@link dev.orrery.storeapi.gateway.IndexHeader}, FORMATS.md 6.2), byte-bounded
 * postings and series caches ({@link dev.orrery.storeapi.gateway.IndexCache}), coalesced chunk range reads, time and
 * external-label sharding, per-request limits and a concurrency gate.
 */
@NullMarked
package dev.orrery.storeapi.gateway;

import org.jspecify.annotations.NullMarked;
