/**
 * Thanos downsampling (FORMATS.md 7): raw float samples aggregated per 5-minute window into Thanos' {@code AggrChunk}
 * encoding (count, sum, min, max and counter sub-chunks), byte for byte as Thanos' compactor writes them.
 *
 * <ul>
 *   <li>{@link dev.orrery.downsample.RawDownsampler}: one raw float series to 5m {@code AggrChunk}s, batched as Thanos
 *       batches them (7.3).
 *   <li>{@link dev.orrery.downsample.AggrChunkWriter}: the five-slot {@code AggrChunk} layout (7.1).
 * </ul>
 */
@NullMarked
package dev.orrery.downsample;

import org.jspecify.annotations.NullMarked;
