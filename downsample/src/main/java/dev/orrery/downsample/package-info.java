/**
 * Thanos downsampling (FORMATS.md 7): raw samples aggregated per 5-minute window, and 5-minute aggregates per hour,
 * into Thanos' {@code AggrChunk} encoding. Float series get count, sum, min, max and counter sub-chunks, byte for byte
 * as Thanos' compactor writes them; native histogram series get count, sum and counter sub-chunks, the last two float
 * histogram chunks (with one bucket layout per sub-chunk, so the bytes can differ from Thanos', the values do not).
 *
 * <ul>
 *   <li>{@link dev.orrery.downsample.RawDownsampler}: one raw float or histogram series to 5m {@code AggrChunk}s,
 *       batched as Thanos batches them (7.3).
 *   <li>{@link dev.orrery.downsample.HourDownsampler}: the 5m {@code AggrChunk}s of one series to 1h (7.4).
 *   <li>{@link dev.orrery.downsample.BlockDownsampler}: a whole block, raw to 5m or 5m to 1h, as a new block (7.6).
 *   <li>{@link dev.orrery.downsample.AggrChunkWriter}: the five-slot {@code AggrChunk} layout (7.1); core's
 *       {@link dev.orrery.core.chunk.AggrChunkSlots} reads it.
 * </ul>
 *
 * <p>{@link dev.orrery.downsample.compact} is the compactor, which merges, downsamples and deletes the blocks of a
 * bucket.
 */
@NullMarked
package dev.orrery.downsample;

import org.jspecify.annotations.NullMarked;
