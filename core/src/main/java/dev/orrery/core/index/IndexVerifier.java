package dev.orrery.core.index;

import dev.orrery.core.io.ByteSource;
import dev.orrery.core.io.CorruptBlockException;
import dev.orrery.core.io.CorruptDataException;
import dev.orrery.core.io.DecodeBuffer;
import dev.orrery.core.labels.Utf8Order;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The full check behind {@link IndexReader#verify()}: walks every section once and cross-checks the postings against
 * the series' labels. Holds the label ordinals of all series in memory (two ints per label) while it runs.
 */
final class IndexVerifier {
  private final IndexReader r;
  private final String name;
  private final Symbols symbols;

  // Per series, in file order: its ref and its labels as (name ordinal, value ordinal) pairs.
  private long[] refs = new long[1024];
  private int[] pairStart = new int[1025];
  private int[] pairs = new int[4096];
  private int seriesCount;
  private int pairCount;
  private long chunkCount;

  IndexVerifier(IndexReader r) {
    this.r = r;
    this.name = r.name();
    this.symbols = r.symbolTable();
  }

  IndexReader.VerifyReport verify() throws IOException {
    try {
      symbols.checkSorted();
      verifySeries();
      long[] lists = verifyPostings();
      if (r.toc().hasLegacyLabelIndices()) {
        verifyLabelIndices();
      }
      return new IndexReader.VerifyReport(seriesCount, chunkCount, symbols.count(), lists[0], lists[1]);
    } catch (CorruptDataException e) {
      throw Corruption.checked(e);
    }
  }

  private void verifySeries() throws IOException {
    long pos = r.seriesStart();
    long end = r.seriesEnd();
    if (pos == 0) {
      return;
    }
    ByteSource src = r.source();
    int[] prev = new int[0];
    long prevChunkRef = 0;
    ChunkMetas chunks = new ChunkMetas();
    while (pos < end) {
      long entry = (pos + 15) & ~15L;
      if (entry >= end) {
        throw new CorruptBlockException(name, pos, (end - pos) + " bytes after the last series entry, before the "
            + "end of the series section at " + end);
      }
      ByteBuffer pad = src.read(pos, (int) (entry - pos));
      for (int i = 0; i < pad.limit(); i++) {
        if (pad.get(i) != 0) {
          throw new CorruptBlockException(name, pos + i, "non-zero padding byte before a series entry");
        }
      }
      long ref = entry >>> 4;
      DecodeBuffer d = r.seriesEntry(ref);
      int n = d.uvarintInt();
      if (n > d.remaining() / 2) {
        throw d.corrupt(0, "series " + ref + " claims " + n + " labels in " + d.remaining() + " bytes");
      }
      int[] labels = new int[2 * n];
      for (int i = 0; i < n; i++) {
        int at = d.position();
        long nameOrd = d.uvarint32();
        long valueOrd = d.uvarint32();
        if (nameOrd >= symbols.count() || valueOrd >= symbols.count()) {
          throw d.corrupt(at, "series " + ref + " label " + i + " refers to a symbol past the table's "
              + symbols.count());
        }
        if (i > 0 && nameOrd <= labels[2 * i - 2]) {
          throw d.corrupt(at, "series " + ref + " labels are not sorted by name (label " + i + ")");
        }
        labels[2 * i] = (int) nameOrd;
        labels[2 * i + 1] = (int) valueOrd;
      }
      // Symbols are sorted, so comparing ordinals pairwise is Prometheus' labels.Compare.
      if (seriesCount > 0 && compareLabels(prev, labels) >= 0) {
        throw new CorruptBlockException(name, entry, "series " + ref + " is not after the previous series in label "
            + "order");
      }
      int chunksAt = d.position();
      readChunks(d, chunks, ref);
      for (int i = 0; i < chunks.size(); i++) {
        if (i == 0 && Long.compareUnsigned(chunks.ref(0), prevChunkRef) < 0) {
          throw d.corrupt(chunksAt, "series " + ref + " first chunk ref " + chunks.ref(0) + " is below the "
              + "previous series' last chunk ref " + prevChunkRef);
        }
        if (chunks.minTime(i) > chunks.maxTime(i)) {
          throw d.corrupt(chunksAt, "series " + ref + " chunk " + i + " has minTime > maxTime");
        }
      }
      if (!chunks.isEmpty()) {
        prevChunkRef = chunks.ref(chunks.size() - 1);
      }
      chunkCount += chunks.size();
      record(ref, labels);
      prev = labels;
      pos = entryEnd(src, entry, end);
    }
  }

  // uvarint len | body | crc: the entry was read and checked already, so the header decodes.
  private long entryEnd(ByteSource src, long entry, long end) throws IOException {
    DecodeBuffer head = new DecodeBuffer(src.read(entry, (int) Math.min(5, end - entry)), name, entry);
    int len = head.uvarintInt();
    return entry + head.position() + len + 4;
  }

  private static void readChunks(DecodeBuffer d, ChunkMetas chunks, long ref) {
    chunks.clear();
    int at = d.position();
    int n = d.uvarintInt();
    if (n == 0) {
      return;
    }
    long min = d.varint();
    long max = min + d.uvarint();
    long cref = d.uvarint();
    chunks.add(min, max, cref);
    for (int i = 1; i < n; i++) {
      long gap = d.uvarint();
      if (gap == 0) {
        throw d.corrupt(at, "series " + ref + " chunk " + i + " overlaps the previous chunk");
      }
      min = max + gap;
      max = min + d.uvarint();
      long delta = d.varint();
      if (delta < 0) {
        throw d.corrupt(at, "series " + ref + " chunk " + i + " ref goes backwards");
      }
      cref += delta;
      chunks.add(min, max, cref);
    }
  }

  private static int compareLabels(int[] a, int[] b) {
    int n = Math.min(a.length, b.length);
    for (int i = 0; i < n; i++) {
      if (a[i] != b[i]) {
        return Integer.compare(a[i], b[i]);
      }
    }
    return Integer.compare(a.length, b.length);
  }

  private void record(long ref, int[] labels) {
    if (seriesCount == refs.length) {
      refs = Arrays.copyOf(refs, seriesCount * 2);
      pairStart = Arrays.copyOf(pairStart, seriesCount * 2 + 1);
    }
    if (pairCount + labels.length > pairs.length) {
      pairs = Arrays.copyOf(pairs, Math.max(pairs.length * 2, pairCount + labels.length));
    }
    refs[seriesCount] = ref;
    System.arraycopy(labels, 0, pairs, pairCount, labels.length);
    pairCount += labels.length;
    seriesCount++;
    pairStart[seriesCount] = pairCount;
  }

  /** Returns {lists, entries}. */
  private long[] verifyPostings() throws IOException {
    PostingsOffsetTable table = r.table();
    long[] counts = new long[2];
    long[] occurrences = {0};
    Map<String, Integer> nameOrds = new HashMap<>();
    table.forEachEntry((n, v, off) -> {
      ByteBuffer body = r.postingsBody(off);
      int count = (body.limit() - 4) / 4;
      counts[0]++;
      counts[1] += count;
      long prev = -1;
      boolean all = n.isEmpty() && v.isEmpty();
      if (all && count != seriesCount) {
        throw new CorruptBlockException(name, off, "all-postings list has " + count + " refs, the index has "
            + seriesCount + " series");
      }
      int nameOrd = all ? -1 : nameOrds.computeIfAbsent(n, symbols::ordinalOf);
      int valueOrd = all ? -1 : symbols.ordinalOf(v);
      if (!all && (nameOrd < 0 || valueOrd < 0)) {
        throw new CorruptBlockException(name, off, "postings list " + n + "=\"" + v + "\" names a string missing "
            + "from the symbol table");
      }
      for (int i = 0; i < count; i++) {
        long ref = Integer.toUnsignedLong(body.getInt(4 + 4 * i));
        long at = off + 8 + 4L * i;
        if (ref <= prev) {
          throw new CorruptBlockException(name, at, "postings list " + n + "=\"" + v + "\" is not strictly "
              + "ascending (" + ref + " after " + prev + ")");
        }
        prev = ref;
        int s = Arrays.binarySearch(refs, 0, seriesCount, ref);
        if (s < 0) {
          throw new CorruptBlockException(name, at, "postings list " + n + "=\"" + v + "\" refers to series " + ref
              + ", which does not exist");
        }
        if (!all && !hasLabel(s, nameOrd, valueOrd)) {
          throw new CorruptBlockException(name, at, "postings list " + n + "=\"" + v + "\" lists series " + ref
              + ", which does not have that label");
        }
      }
      if (!all) {
        occurrences[0] += count;
      }
    });
    if (seriesCount > 0 && table.allPostingsOffset() < 0) {
      throw new CorruptBlockException(name, r.toc().postingsTable(), "postings offset table lacks the all-postings "
          + "entry");
    }
    if (occurrences[0] != pairCount / 2) {
      throw new CorruptBlockException(name, r.toc().postingsTable(), "postings lists hold " + occurrences[0]
          + " label references, the series have " + (pairCount / 2));
    }
    return counts;
  }

  private boolean hasLabel(int s, int nameOrd, int valueOrd) {
    for (int i = pairStart[s]; i < pairStart[s + 1]; i += 2) {
      if (pairs[i] == nameOrd) {
        return pairs[i + 1] == valueOrd;
      }
    }
    return false;
  }

  // 4.5: label offset table, then each label index against the postings offset table's values of that name.
  private void verifyLabelIndices() throws IOException {
    ByteSource src = r.source();
    long tableAt = r.toc().labelIndicesTable();
    ByteBuffer body = IndexReader.section(src, tableAt, r.toc().postingsTable(), "label offset table");
    DecodeBuffer d = new DecodeBuffer(body, name, tableAt + 4);
    int n = d.be32();
    String prevName = null;
    for (int i = 0; i < n; i++) {
      int at = d.position();
      long keys = d.uvarint();
      if (keys != 1) {
        throw d.corrupt(at, "label offset table entry " + i + " has " + keys + " keys, expected 1");
      }
      String label = d.uvarintString();
      long off = d.uvarint();
      if (prevName != null && Utf8Order.compare(prevName, label) >= 0) {
        throw d.corrupt(at, "label offset table entry " + i + " (" + label + ") is out of order");
      }
      prevName = label;
      if (off < r.seriesEnd() || off >= r.toc().postings()) {
        throw d.corrupt(at, "label index offset " + off + " for " + label + " outside the label indices ["
            + r.seriesEnd() + ", " + r.toc().postings() + ")");
      }
      ByteBuffer idx = IndexReader.section(src, off, r.toc().postings(), "label index for " + label);
      DecodeBuffer li = new DecodeBuffer(idx, name, off + 4);
      int names = li.be32();
      int entries = li.be32();
      if (names != 1 || entries < 0 || (long) entries * 4 != li.remaining()) {
        throw new CorruptBlockException(name, off, "label index for " + label + " malformed (names " + names
            + ", entries " + entries + ", " + li.remaining() + " bytes)");
      }
      String[] expected = r.labelValues(label).toArray(new String[0]);
      if (expected.length != entries) {
        throw new CorruptBlockException(name, off, "label index for " + label + " has " + entries + " values, the "
            + "postings offset table " + expected.length);
      }
      for (int k = 0; k < entries; k++) {
        int ord = li.be32();
        if (ord < 0 || ord >= symbols.count() || !symbols.lookup(ord).equals(expected[k])) {
          throw new CorruptBlockException(name, off + 12 + 4L * k, "label index for " + label + " value " + k
              + " differs from the postings offset table");
        }
      }
    }
    if (d.remaining() != 0) {
      throw d.corrupt(d.position(), "trailing bytes in the label offset table");
    }
    if (n != r.labelNames().size()) {
      throw new CorruptBlockException(name, tableAt, "label offset table has " + n + " names, the postings offset "
          + "table " + r.labelNames().size());
    }
  }
}
