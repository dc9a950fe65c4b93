/**
 * Chunk encodings of the Prometheus TSDB, bit for bit (FORMATS.md sections 2 and 3).
 *
 * <ul>
 *   <li>{@link dev.orrery.core.chunk.Chunk}: one encoded chunk; {@link dev.orrery.core.chunk.Chunk#of} picks the
 *       decoder for an encoding. Iterate with {@link dev.orrery.core.chunk.SampleIterator}, passing the previous
 *       iterator back to avoid allocation.
 *   <li>{@link dev.orrery.core.chunk.XorChunk} / {@link dev.orrery.core.chunk.XorAppender}: Gorilla float chunks
 *       (encoding 1), byte-identical to Prometheus 3.x, or 2.x with {@link dev.orrery.core.chunk.WriterCompatibility}.
 *   <li>{@link dev.orrery.core.chunk.BitReader} / {@link dev.orrery.core.chunk.BitWriter}: the MSB-first bit stream
 *       under every encoding, with Prometheus' {@code varbit} integers.
 * </ul>
 *
 * <p>Values are handled as raw IEEE-754 bits throughout, so stale NaN markers ({@code 0x7ff0000000000002}) survive
 * decoding and re-encoding. Corruption is reported as {@link dev.orrery.core.chunk.CorruptChunkException} naming the
 * resource and offset; decoders never return wrong samples for a stream that is too short.
 */
package dev.orrery.core.chunk;
