package dev.orrery.storeapi.gateway;

import dev.orrery.core.index.IndexReader;
import dev.orrery.core.index.Toc;
import dev.orrery.core.io.CorruptDataException;
import dev.orrery.core.io.Crc32c;
import dev.orrery.core.io.DecodeBuffer;
import dev.orrery.core.labels.LabelsBuilder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Decodes series entries of one block for one request (index format v2, FORMATS.md 4.3: label symbol refs and chunk
 * metas, length- and CRC-checked as core's reader does) with a cache of the symbols already resolved, so the label
 * strings that repeat across series (names, job and handler values) are looked up once per request and shared
 * between series, which also makes their later hashing and comparison cheaper. Confined to one thread.
 */
final class SeriesEntryReader {
  private final IndexReader reader;
  private final BucketIndexSource source;
  private final String name;
  private final long seriesStart;
  private final long seriesEnd;
  private final int symbolCount;
  // Open addressing: symbol ordinal -> decoded string.
  private int[] keys = new int[1024];
  private String[] values = new String[1024];
  private int size;

  /** Chunk metas of the last entry read: [min, max, ref] triples. */
  long[] chunkMin = new long[16];
  long[] chunkMax = new long[16];
  long[] chunkRef = new long[16];
  int chunks;

  SeriesEntryReader(IndexReader reader, BucketIndexSource source, Toc toc) {
    this.reader = reader;
    this.source = source;
    this.name = source.name();
    this.seriesStart = toc.series();
    this.seriesEnd = toc.series() == 0 ? 0 : toc.labelIndices();
    this.symbolCount = reader.symbolCount();
    Arrays.fill(keys, -1);
  }

  /**
   * Reads series {@code ref} into {@code builder} (reset first) and the chunk meta arrays.
   *
   * @throws CorruptDataException if the entry is outside the series section or fails its checks
   */
  void read(long ref, LabelsBuilder builder) throws IOException {
    builder.reset();
    chunks = 0;
    if (ref < 0 || ref > 0xFFFFFFFFL || ref * 16 < seriesStart || ref * 16 >= seriesEnd) {
      throw new CorruptDataException(name, ref * 16, "series ref " + ref + " outside the series section ["
          + seriesStart + ", " + seriesEnd + ")");
    }
    long at = ref * 16;
    DecodeBuffer head = new DecodeBuffer(source.read(at, (int) Math.min(5, seriesEnd - at)), name, at);
    int len = head.uvarintInt();
    long bodyAt = at + head.position();
    if (len > Integer.MAX_VALUE - 4 || bodyAt + len + 4 > seriesEnd) {
      throw new CorruptDataException(name, at, "series entry length " + len + " runs past the end of the series "
          + "section (" + seriesEnd + ")");
    }
    ByteBuffer b = source.read(bodyAt, len + 4);
    int want = b.getInt(len);
    int got = Crc32c.of(b, 0, len);
    if (want != got) {
      throw new CorruptDataException(name, at, String.format("series %d CRC32C mismatch (expected %08x, actual %08x)",
          ref, want, got));
    }
    DecodeBuffer d = new DecodeBuffer(b.limit(len), name, bodyAt);
    int n = d.uvarintInt();
    for (int i = 0; i < n; i++) {
      int p = d.position();
      long nameOrd = d.uvarint32();
      long valueOrd = d.uvarint32();
      if (nameOrd >= symbolCount || valueOrd >= symbolCount) {
        throw d.corrupt(p, "series " + ref + " label " + i + " refers to symbol " + Math.max(nameOrd, valueOrd)
            + " of " + symbolCount);
      }
      builder.set(symbol((int) nameOrd), symbol((int) valueOrd));
    }
    // 4.3: ci.mint - c(i-1).maxt and ci.maxt - ci.mint are uvarints, refs a signed delta.
    int c = d.uvarintInt();
    if (c == 0) {
      return;
    }
    if (c > chunkRef.length) {
      int cap = Math.max(c, chunkRef.length * 2);
      chunkMin = new long[cap];
      chunkMax = new long[cap];
      chunkRef = new long[cap];
    }
    long min = d.varint();
    long max = min + d.uvarint();
    long r = d.uvarint();
    chunkMin[0] = min;
    chunkMax[0] = max;
    chunkRef[0] = r;
    for (int i = 1; i < c; i++) {
      min = max + d.uvarint();
      max = min + d.uvarint();
      r += d.varint();
      chunkMin[i] = min;
      chunkMax[i] = max;
      chunkRef[i] = r;
    }
    chunks = c;
  }

  private String symbol(int ord) {
    int mask = keys.length - 1;
    int i = (ord * 0x9E3779B9) >>> 1 & mask;
    while (keys[i] != -1) {
      if (keys[i] == ord) {
        return values[i];
      }
      i = (i + 1) & mask;
    }
    String s = reader.symbol(ord);
    if (size * 2 >= keys.length) {
      grow();
      return insert(ord, s);
    }
    keys[i] = ord;
    values[i] = s;
    size++;
    return s;
  }

  private String insert(int ord, String s) {
    int mask = keys.length - 1;
    int i = (ord * 0x9E3779B9) >>> 1 & mask;
    while (keys[i] != -1) {
      i = (i + 1) & mask;
    }
    keys[i] = ord;
    values[i] = s;
    size++;
    return s;
  }

  private void grow() {
    int[] oldKeys = keys;
    String[] oldValues = values;
    keys = new int[oldKeys.length * 2];
    values = new String[oldKeys.length * 2];
    Arrays.fill(keys, -1);
    size = 0;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != -1) {
        insert(oldKeys[i], oldValues[i]);
      }
    }
  }
}
