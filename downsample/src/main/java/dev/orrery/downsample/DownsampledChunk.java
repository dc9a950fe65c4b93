package dev.orrery.downsample;

/**
 * One downsampled chunk: its {@code AggrChunk} bytes (the data of a chunk record with encoding {@code 0xFF}) and the
 * chunk meta bounds for the index, the first and last emitted window timestamps (FORMATS.md 7.1).
 *
 * @param minTime timestamp of the first emitted window, milliseconds
 * @param maxTime timestamp of the last emitted window, milliseconds
 * @param data the {@code AggrChunk} bytes; not copied, the caller must not change them
 */
public record DownsampledChunk(long minTime, long maxTime, byte[] data) {}
