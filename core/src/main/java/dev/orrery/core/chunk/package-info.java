/**
 * Chunk encodings and chunk segment files of the Prometheus TSDB, bit for bit (FORMATS.md sections 2 and 3).
 *
 * <ul>
 *   <li>{@link dev.orrery.core.chunk.Chunk}: one encoded chunk; {@link dev.orrery.core.chunk.Chunk#of} picks the
 *       decoder for an encoding. Iterate with {@link dev.orrery.core.chunk.SampleIterator}, passing the previous
 *       iterator back so that a scan over many chunks does not allocate.
 *   <li>{@link dev.orrery.core.chunk.XorChunk} / {@link dev.orrery.core.chunk.XorAppender}: Gorilla float chunks
 *       (encoding 1), byte-identical to Prometheus 3.x, or to 2.x with
 *       {@link dev.orrery.core.chunk.WriterCompatibility#PROMETHEUS_2}.
 *   <li>{@link dev.orrery.core.chunk.HistogramChunk} / {@link dev.orrery.core.chunk.HistogramAppender} and
 *       {@link dev.orrery.core.chunk.FloatHistogramChunk} / {@link dev.orrery.core.chunk.FloatHistogramAppender}:
 *       native histograms (encodings 2 and 3).
 *   <li>Read only: {@link dev.orrery.core.chunk.Xor2Chunk} (encoding 4) and the start-timestamp histogram variants
 *       {@link dev.orrery.core.chunk.HistogramStChunk} and {@link dev.orrery.core.chunk.FloatHistogramStChunk}
 *       (encodings 5 and 6). Thanos' AGGR chunks (255) hold five sub-chunks, which the store gateway splits.
 *   <li>{@link dev.orrery.core.chunk.ChunkSegmentWriter} / {@link dev.orrery.core.chunk.ChunkSegmentReader}: the
 *       {@code chunks/000001}... files of a block, with Prometheus' cut rules and CRC32C-checked reads by
 *       {@link dev.orrery.core.chunk.ChunkRef chunk reference}.
 *   <li>{@link dev.orrery.core.chunk.BitReader} / {@link dev.orrery.core.chunk.BitWriter}: the MSB-first bit stream
 *       under every encoding, with Prometheus' {@code varbit} integers.
 * </ul>
 *
 * <p>Values are handled as raw IEEE-754 bits throughout, so stale NaN markers ({@code 0x7ff0000000000002}) and other
 * NaN payloads survive decoding and re-encoding. Corruption is reported as
 * {@link dev.orrery.core.chunk.CorruptChunkException} naming the resource and offset: decoders never return samples
 * from a stream that is too short, and never fail with an index or buffer exception.
 */
package dev.orrery.core.chunk;
