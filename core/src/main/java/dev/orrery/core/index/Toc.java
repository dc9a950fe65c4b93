package dev.orrery.core.index;

import dev.orrery.core.io.CorruptBlockException;
import dev.orrery.core.io.Crc32c;
import java.nio.ByteBuffer;

/**
 * The table of contents at the end of an index file ({@code FORMATS.md} 4.7): six absolute section offsets. An
 * offset of 0 means the section is absent (Prometheus never writes 0). Immutable.
 *
 * @param symbols offset of the symbol table (5 in every file written today)
 * @param series start of the series section (may be unaligned; the first entry is padded to 16)
 * @param labelIndices end of the series section; legacy label indices follow after 0–3 padding bytes
 * @param labelIndicesTable offset of the legacy label offset table, {@code == postingsTable} when there is none
 * @param postings start of the postings area (may point at alignment padding)
 * @param postingsTable offset of the postings offset table
 */
public record Toc(long symbols, long series, long labelIndices, long labelIndicesTable, long postings,
    long postingsTable) {
  /** Size of the encoded TOC: six BE64 offsets and a BE32 CRC32C over them. */
  public static final int BYTES = 6 * 8 + 4;

  /** True when the file has the legacy label indices and label offset table (4.5). */
  public boolean hasLegacyLabelIndices() {
    return labelIndicesTable != 0 && labelIndicesTable != postingsTable;
  }

  /**
   * Decodes the TOC from the last {@link #BYTES} bytes of {@code buf} (absolute index {@code at}) and checks its CRC.
   *
   * @param fileOffset file offset of {@code buf[at]}, for the error message
   */
  static Toc decode(ByteBuffer buf, int at, String resource, long fileOffset) throws CorruptBlockException {
    int want = buf.getInt(at + 48);
    int got = Crc32c.of(buf, at, 48);
    if (want != got) {
      throw new CorruptBlockException(resource, fileOffset, String.format(
          "TOC CRC32C mismatch (expected %08x, actual %08x)", want, got));
    }
    return new Toc(buf.getLong(at), buf.getLong(at + 8), buf.getLong(at + 16), buf.getLong(at + 24),
        buf.getLong(at + 32), buf.getLong(at + 40));
  }
}
