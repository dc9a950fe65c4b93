/**
 * Thanos' block layout in a bucket (FORMATS.md 6.3 to 6.5): uploading a block in Thanos' order with the {@code
 * thanos} section of {@code meta.json} filled in, downloading and verifying blocks, deletion and no-compact markers,
 * safe deletion, the meta fetcher with its filters, and the shipper that uploads a Prometheus data directory's new
 * blocks exactly once.
 */
@NullMarked
package dev.orrery.objstore.block;

import org.jspecify.annotations.NullMarked;
