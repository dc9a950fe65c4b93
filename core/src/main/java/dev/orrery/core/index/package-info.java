/**
 * The TSDB index file, format v2 ({@code FORMATS.md} section 4), and the tombstones file (section 5): postings
 * cursors and their set operations ({@link dev.orrery.core.index.Postings}), reusable chunk metadata
 * ({@link dev.orrery.core.index.ChunkMetas}), a byte-exact writer ({@link dev.orrery.core.index.IndexWriter}) for the
 * current and the legacy (Prometheus 2.x) layout, a checking reader over any
 * {@link dev.orrery.core.io.ByteSource} ({@link dev.orrery.core.index.IndexReader}) with Prometheus'
 * {@code PostingsForMatchers} semantics, and deleted time ranges ({@link dev.orrery.core.index.Tombstones},
 * {@link dev.orrery.core.index.Intervals}).
 *
 * <p>Every reference in this package may be assumed non-null unless a parameter or return value says otherwise.
 * Series references are the v2 series IDs (entry offset / 16), unsigned 32-bit values carried in a {@code long}.
 */
package dev.orrery.core.index;
