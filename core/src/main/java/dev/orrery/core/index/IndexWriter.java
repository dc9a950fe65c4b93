package dev.orrery.core.index;

import dev.orrery.core.io.EncodeBuffer;
import dev.orrery.core.io.Varint;
import dev.orrery.core.labels.Labels;
import dev.orrery.core.labels.Utf8Order;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Writes an index file in format v2 exactly as {@code FORMATS.md} 4.2–4.8 lays it out: magic and version, the symbol
 * table, 16-byte aligned series entries, the postings lists (all-postings first), the postings offset table and the
 * TOC, each section with its CRC32C. With {@link Layout#LEGACY} it also writes the label indices and the label offset
 * table of 4.5, so that the output is byte-identical to what Prometheus 2.x–3.6 writes for the same symbols and
 * series.
 *
 * <p>Use:
 *
 * {@snippet :
 * try (IndexWriter w = IndexWriter.create(dir.resolve("index"))) {
 *   w.addSymbols(symbols);                 // optional: sorted, deduplicated; otherwise computed from the series
 *   for (Series s : seriesInLabelOrder) {
 *     w.addSeries(s.labels(), s.chunks());  // ascending label order, chunk rules of 4.3
 *   }
 * }
 * }
 *
 * <p>Symbols: when {@link #addSymbols} is called before the first series, series are encoded and streamed as they
 * arrive, and every label name and value must be one of those symbols (extra symbols are kept, as Prometheus keeps
 * the head's). When no symbol was added, the writer keeps the series in memory and derives the symbol table at
 * {@link #close()} from the labels used plus {@code ""}, as Prometheus always has it (4.2).
 *
 * <p>Memory: the postings are held as {@code int} arrays until {@link #close()} (three ints per label of every series),
 * plus the symbol map. Not thread-safe. Series references are unsigned 32-bit, so the series section must end below
 * 64 GiB.
 */
public final class IndexWriter implements Closeable {
  /** {@code FORMATS.md} 4.1: the first four bytes of every index file. */
  public static final int MAGIC = 0xBAAAD700;
  /** The format version this writer produces (4.9). */
  public static final int FORMAT_V2 = 2;

  /** Which sections to write. */
  public enum Layout {
    /** Prometheus 3.7 and later: no label indices, no label offset table (4.5, "current layout"). */
    CURRENT,
    /** Prometheus 2.x to 3.6: with label indices and the label offset table, byte-identical to their output. */
    LEGACY
  }

  private final String name;
  private final Layout layout;
  private final Output out;

  // Symbols: either given by the caller (streaming) or derived at close (buffered).
  private final List<String> symbols = new ArrayList<>();
  private final Map<String, Integer> symbolOrdinals = new HashMap<>();
  private boolean symbolsWritten;
  private long seriesStart;

  // Series kept in memory when no symbols were given.
  private List<Labels> bufferedLabels;
  private long[] bufferedChunks; // minTime, maxTime, ref triples
  private int[] bufferedChunkCounts;
  private int bufferedChunkLongs;

  private Labels lastLabels;
  private long lastChunkRef;
  private long seriesCount;

  // Postings: one (name ordinal, value ordinal, series ID) occurrence per label of every series.
  private int[] occName = new int[1024];
  private int[] occValue = new int[1024];
  private int[] occSeries = new int[1024];
  private int occCount;
  private int[] allSeries = new int[1024];

  private final EncodeBuffer buf = new EncodeBuffer(1 << 12);
  private boolean closed;

  private IndexWriter(String name, Layout layout, Output out) {
    this.name = name;
    this.layout = layout;
    this.out = out;
  }

  /** Creates (or truncates) {@code file} and writes an index in the {@link Layout#CURRENT} layout into it. */
  public static IndexWriter create(Path file) throws IOException {
    return create(file, Layout.CURRENT);
  }

  /**
   * Creates (or truncates) {@code file} and writes an index in {@code layout} into it. {@link #close()} flushes,
   * forces the file to disk and closes it.
   */
  public static IndexWriter create(Path file, Layout layout) throws IOException {
    Objects.requireNonNull(layout, "layout is null");
    FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE);
    try {
      OutputStream os = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
      return new IndexWriter(file.toString(), layout, new Output(os, ch));
    } catch (RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /**
   * Writes an index in {@code layout} to {@code sink}, named {@code name} in messages. {@link #close()} flushes
   * {@code sink} but does not close it: whoever opened it closes it.
   */
  public static IndexWriter create(OutputStream sink, String name, Layout layout) {
    Objects.requireNonNull(sink, "sink is null");
    Objects.requireNonNull(name, "name is null");
    Objects.requireNonNull(layout, "layout is null");
    return new IndexWriter(name, layout, new Output(sink, null));
  }

  /**
   * Adds one symbol. Symbols must come in strictly ascending UTF-8 byte order and before the first series.
   *
   * @throws IllegalArgumentException if {@code symbol} does not sort after the previous one
   * @throws IllegalStateException after the first series or after {@link #close()}
   */
  public IndexWriter addSymbol(String symbol) {
    Objects.requireNonNull(symbol, "symbol is null");
    checkOpen();
    if (symbolsWritten || bufferedLabels != null) {
      throw new IllegalStateException("symbols must be added before the first series in " + name);
    }
    if (!symbols.isEmpty() && Utf8Order.compare(symbols.get(symbols.size() - 1), symbol) >= 0) {
      throw new IllegalArgumentException("symbol \"" + symbol + "\" is not after \"" + symbols.get(symbols.size() - 1)
          + "\" (symbols must be sorted by UTF-8 bytes and unique)");
    }
    symbolOrdinals.put(symbol, symbols.size());
    symbols.add(symbol);
    return this;
  }

  /** Adds {@code symbols} in order, as {@link #addSymbol} does one by one. */
  public IndexWriter addSymbols(Iterable<String> symbols) {
    for (String s : symbols) {
      addSymbol(s);
    }
    return this;
  }

  /**
   * Adds a series with its chunks. Series must come in strictly ascending label order ({@link Labels#compareTo}).
   * Chunks must satisfy {@code FORMATS.md} 4.3: {@code minTime <= maxTime}, each chunk starting after the previous
   * one's {@code maxTime}, refs non-decreasing within the series and not below the last ref of the previous series.
   * {@code chunks} is read, not kept.
   *
   * @throws IllegalArgumentException if the order or a chunk rule is violated, a label name is empty, or (when
   *     symbols were added) a label string is not a symbol; nothing is written then
   * @throws IOException if writing fails or the series section would exceed 64 GiB
   */
  public void addSeries(Labels labels, ChunkMetas chunks) throws IOException {
    Objects.requireNonNull(labels, "labels is null");
    Objects.requireNonNull(chunks, "chunks is null");
    checkOpen();
    validate(labels, chunks);
    boolean streaming = !symbols.isEmpty() && bufferedLabels == null;
    if (streaming) {
      for (int i = 0; i < labels.size(); i++) {
        requireSymbol(labels, labels.name(i));
        requireSymbol(labels, labels.value(i));
      }
      if (!symbolsWritten) {
        writeHeaderAndSymbols();
      }
      writeSeries(labels, chunks);
    } else {
      buffer(labels, chunks);
    }
    lastLabels = labels;
    if (!chunks.isEmpty()) {
      lastChunkRef = chunks.ref(chunks.size() - 1);
    }
  }

  private void validate(Labels labels, ChunkMetas chunks) {
    if (lastLabels != null && lastLabels.compareTo(labels) >= 0) {
      throw new IllegalArgumentException("series " + labels + " out of order: not after " + lastLabels
          + " (series must be added in ascending label order)");
    }
    for (int i = 0; i < labels.size(); i++) {
      if (labels.name(i).isEmpty()) {
        throw new IllegalArgumentException("series " + labels + " has an empty label name");
      }
    }
    long prevMax = 0;
    long prevRef = lastChunkRef;
    for (int i = 0; i < chunks.size(); i++) {
      long min = chunks.minTime(i);
      long max = chunks.maxTime(i);
      long ref = chunks.ref(i);
      if (min > max) {
        throw new IllegalArgumentException("chunk " + i + " of " + labels + ": minTime " + min + " > maxTime " + max);
      }
      if (i > 0 && min <= prevMax) {
        throw new IllegalArgumentException("chunk " + i + " of " + labels + " overlaps the previous chunk: minTime "
            + min + " <= previous maxTime " + prevMax);
      }
      if (Long.compareUnsigned(ref, prevRef) < 0) {
        throw new IllegalArgumentException("chunk " + i + " of " + labels + ": unsorted chunk reference " + ref
            + ", previous " + prevRef);
      }
      prevMax = max;
      prevRef = ref;
    }
  }

  private void requireSymbol(Labels labels, String s) {
    if (!symbolOrdinals.containsKey(s)) {
      throw new IllegalArgumentException("series " + labels + " uses \"" + s + "\", which is not in the symbol table");
    }
  }

  private void buffer(Labels labels, ChunkMetas chunks) {
    if (bufferedLabels == null) {
      bufferedLabels = new ArrayList<>();
      bufferedChunks = new long[3 * 64];
      bufferedChunkCounts = new int[64];
    }
    int n = bufferedLabels.size();
    if (n == bufferedChunkCounts.length) {
      bufferedChunkCounts = Arrays.copyOf(bufferedChunkCounts, n * 2);
    }
    int need = bufferedChunkLongs + 3 * chunks.size();
    if (need > bufferedChunks.length) {
      bufferedChunks = Arrays.copyOf(bufferedChunks, Math.max(need, bufferedChunks.length * 2));
    }
    for (int i = 0; i < chunks.size(); i++) {
      bufferedChunks[bufferedChunkLongs++] = chunks.minTime(i);
      bufferedChunks[bufferedChunkLongs++] = chunks.maxTime(i);
      bufferedChunks[bufferedChunkLongs++] = chunks.ref(i);
    }
    bufferedChunkCounts[n] = chunks.size();
    bufferedLabels.add(labels);
  }

  // 4.1 and 4.2: magic, version, then len | count | entries | crc.
  private void writeHeaderAndSymbols() throws IOException {
    buf.reset();
    buf.putBE32(MAGIC).putByte(FORMAT_V2);
    out.write(buf.array(), 0, buf.length());
    buf.reset();
    buf.putBE32(0).putBE32(symbols.size());
    for (String s : symbols) {
      buf.putUvarintString(s);
    }
    writeSection(buf);
    symbolsWritten = true;
    seriesStart = out.pos;
  }

  // Patches the BE32 length at buf[0], then writes buf and the CRC32C of everything after the length.
  private void writeSection(EncodeBuffer section) throws IOException {
    long len = section.length() - 4L;
    if (len > 0xFFFFFFFFL) {
      throw new IOException("section of " + len + " bytes does not fit a 32-bit length in " + name);
    }
    section.setBE32(0, (int) len);
    int crc = section.crc32c(4, (int) len);
    section.putBE32(crc);
    out.write(section.array(), 0, section.length());
  }

  // 4.3: pad to 16, uvarint len, body, CRC32C of the body. The series ID is the entry offset / 16.
  private void writeSeries(Labels labels, ChunkMetas chunks) throws IOException {
    out.padTo(16);
    long id = out.pos >>> 4;
    if (id > 0xFFFFFFFFL) {
      throw new IOException("series section exceeds 64 GiB (series ref " + id + ") in " + name);
    }
    buf.reset();
    buf.putUvarint(labels.size());
    for (int i = 0; i < labels.size(); i++) {
      int nameOrd = symbolOrdinals.get(labels.name(i));
      int valueOrd = symbolOrdinals.get(labels.value(i));
      buf.putUvarint(nameOrd).putUvarint(valueOrd);
      addOccurrence(nameOrd, valueOrd, (int) id);
    }
    buf.putUvarint(chunks.size());
    if (!chunks.isEmpty()) {
      long prevMax = chunks.maxTime(0);
      long prevRef = chunks.ref(0);
      buf.putVarint(chunks.minTime(0)).putUvarint(prevMax - chunks.minTime(0)).putUvarint(prevRef);
      for (int i = 1; i < chunks.size(); i++) {
        long min = chunks.minTime(i);
        long max = chunks.maxTime(i);
        long ref = chunks.ref(i);
        buf.putUvarint(min - prevMax).putUvarint(max - min).putVarint(ref - prevRef);
        prevMax = max;
        prevRef = ref;
      }
    }
    int bodyLen = buf.length();
    out.writeUvarint(bodyLen);
    out.write(buf.array(), 0, bodyLen);
    out.writeBE32(buf.crc32c(0, bodyLen));
    if (seriesCount == allSeries.length) {
      allSeries = Arrays.copyOf(allSeries, allSeries.length * 2);
    }
    allSeries[(int) seriesCount++] = (int) id;
  }

  private void addOccurrence(int nameOrd, int valueOrd, int seriesId) {
    if (occCount == occName.length) {
      int c = occCount * 2;
      occName = Arrays.copyOf(occName, c);
      occValue = Arrays.copyOf(occValue, c);
      occSeries = Arrays.copyOf(occSeries, c);
    }
    occName[occCount] = nameOrd;
    occValue[occCount] = valueOrd;
    occSeries[occCount] = seriesId;
    occCount++;
  }

  /**
   * Writes whatever remains (symbols and series when buffered, postings, offset tables, TOC), flushes, and for a
   * file forces it to disk and closes it. Idempotent.
   */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (bufferedLabels != null || !symbolsWritten && symbols.isEmpty()) {
        deriveSymbols();
      }
      if (!symbolsWritten) {
        writeHeaderAndSymbols();
      }
      if (bufferedLabels != null) {
        writeBuffered();
      }
      finish();
      out.flushAndClose();
    } catch (IOException | RuntimeException e) {
      out.closeQuietly(e);
      throw e;
    }
  }

  private void deriveSymbols() {
    Set<String> set = new HashSet<>();
    set.add("");
    if (bufferedLabels != null) {
      for (Labels l : bufferedLabels) {
        for (int i = 0; i < l.size(); i++) {
          set.add(l.name(i));
          set.add(l.value(i));
        }
      }
    }
    String[] sorted = set.toArray(new String[0]);
    Arrays.sort(sorted, Utf8Order.COMPARATOR);
    symbols.clear();
    symbolOrdinals.clear();
    for (String s : sorted) {
      symbolOrdinals.put(s, symbols.size());
      symbols.add(s);
    }
  }

  private void writeBuffered() throws IOException {
    ChunkMetas scratch = new ChunkMetas(16);
    int at = 0;
    for (int s = 0; s < bufferedLabels.size(); s++) {
      scratch.clear();
      for (int i = 0; i < bufferedChunkCounts[s]; i++, at += 3) {
        scratch.add(bufferedChunks[at], bufferedChunks[at + 1], bufferedChunks[at + 2]);
      }
      writeSeries(bufferedLabels.get(s), scratch);
      bufferedLabels.set(s, null);
    }
    bufferedLabels = null;
    bufferedChunks = null;
  }

  // 4.4 to 4.7, in file order; the legacy sections of 4.5 only for Layout.LEGACY.
  private void finish() throws IOException {
    long labelIndices = out.pos;
    int[] order = sortOccurrences();
    int groups = countGroups(order);
    int[] groupStart = new int[groups + 1];
    fillGroupStarts(order, groupStart);

    long postings = labelIndices;
    int names = 0;
    long[] labelIndexOffsets = new long[0];
    if (layout == Layout.LEGACY) {
      labelIndexOffsets = new long[groups];
      for (int g = 0; g < groups; ) {
        int nameOrd = occName[order[groupStart[g]]];
        int end = g;
        while (end < groups && occName[order[groupStart[end]]] == nameOrd) {
          end++;
        }
        out.padTo(4);
        labelIndexOffsets[names++] = out.pos;
        buf.reset();
        buf.putBE32(0).putBE32(1).putBE32(end - g);
        for (int i = g; i < end; i++) {
          buf.putBE32(occValue[order[groupStart[i]]]);
        }
        writeSection(buf);
        g = end;
      }
      postings = out.pos;
    }

    out.padTo(4);
    long allOffset = out.pos;
    writePostings(allSeries, (int) seriesCount);
    long[] groupOffsets = new long[groups];
    int[] ids = new int[64];
    for (int g = 0; g < groups; g++) {
      int n = groupStart[g + 1] - groupStart[g];
      if (n > ids.length) {
        ids = new int[Math.max(n, ids.length * 2)];
      }
      for (int i = 0; i < n; i++) {
        ids[i] = occSeries[order[groupStart[g] + i]];
      }
      groupOffsets[g] = out.pos;
      writePostings(ids, n);
    }

    long labelIndicesTable;
    if (layout == Layout.LEGACY) {
      labelIndicesTable = out.pos;
      buf.reset();
      buf.putBE32(0).putBE32(names);
      int k = 0;
      for (int g = 0; g < groups; g++) {
        int nameOrd = occName[order[groupStart[g]]];
        if (g == 0 || occName[order[groupStart[g - 1]]] != nameOrd) {
          buf.putUvarint(1).putUvarintString(symbols.get(nameOrd)).putUvarint(labelIndexOffsets[k++]);
        }
      }
      writeSection(buf);
    } else {
      labelIndicesTable = -1;
    }

    long postingsTable = out.pos;
    if (labelIndicesTable < 0) {
      labelIndicesTable = postingsTable;
    }
    buf.reset();
    buf.putBE32(0).putBE32(groups + 1);
    buf.putUvarint(2).putUvarintString("").putUvarintString("").putUvarint(allOffset);
    for (int g = 0; g < groups; g++) {
      int o = order[groupStart[g]];
      buf.putUvarint(2).putUvarintString(symbols.get(occName[o])).putUvarintString(symbols.get(occValue[o]))
          .putUvarint(groupOffsets[g]);
    }
    writeSection(buf);

    buf.reset();
    buf.putBE64(5).putBE64(seriesStart).putBE64(labelIndices).putBE64(labelIndicesTable).putBE64(postings)
        .putBE64(postingsTable);
    buf.putBE32(buf.crc32c(0, 48));
    out.write(buf.array(), 0, buf.length());
  }

  // One postings list (4.4): len | n | n x BE32 | crc, written straight from the id array.
  private void writePostings(int[] ids, int n) throws IOException {
    EncodeBuffer b = buf;
    b.reset();
    b.putBE32(4 + 4 * n).putBE32(n);
    for (int i = 0; i < n; i++) {
      b.putBE32(ids[i]);
    }
    b.putBE32(b.crc32c(4, 4 + 4 * n));
    out.write(b.array(), 0, b.length());
  }

  // LSD radix sort of the occurrences by (name ordinal, value ordinal): two stable counting sorts. Series IDs were
  // appended in ascending order, and stability keeps them ascending within each (name, value) group.
  private int[] sortOccurrences() {
    int n = occCount;
    int[] byValue = new int[n];
    int[] counts = new int[symbols.size() + 1];
    for (int i = 0; i < n; i++) {
      counts[occValue[i] + 1]++;
    }
    for (int i = 1; i < counts.length; i++) {
      counts[i] += counts[i - 1];
    }
    for (int i = 0; i < n; i++) {
      byValue[counts[occValue[i]]++] = i;
    }
    Arrays.fill(counts, 0);
    for (int i = 0; i < n; i++) {
      counts[occName[i] + 1]++;
    }
    for (int i = 1; i < counts.length; i++) {
      counts[i] += counts[i - 1];
    }
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      int o = byValue[i];
      order[counts[occName[o]]++] = o;
    }
    return order;
  }

  private int countGroups(int[] order) {
    int groups = 0;
    for (int i = 0; i < order.length; i++) {
      if (i == 0 || !sameGroup(order[i - 1], order[i])) {
        groups++;
      }
    }
    return groups;
  }

  private void fillGroupStarts(int[] order, int[] groupStart) {
    int g = 0;
    for (int i = 0; i < order.length; i++) {
      if (i == 0 || !sameGroup(order[i - 1], order[i])) {
        groupStart[g++] = i;
      }
    }
    groupStart[g] = order.length;
  }

  private boolean sameGroup(int a, int b) {
    return occName[a] == occName[b] && occValue[a] == occValue[b];
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("index writer for " + name + " is closed");
    }
  }

  @Override
  public String toString() {
    return "IndexWriter[" + name + ", " + layout + ", " + seriesCount + " series]";
  }

  /** The destination with its write position; owns the file channel when writing a file. */
  private static final class Output {
    private static final byte[] ZEROS = new byte[16];
    private final OutputStream os;
    private final FileChannel channel;
    private final byte[] scratch = new byte[16];
    long pos;

    Output(OutputStream os, FileChannel channel) {
      this.os = os;
      this.channel = channel;
    }

    void write(byte[] b, int off, int len) throws IOException {
      os.write(b, off, len);
      pos += len;
    }

    void writeBE32(int v) throws IOException {
      scratch[0] = (byte) (v >>> 24);
      scratch[1] = (byte) (v >>> 16);
      scratch[2] = (byte) (v >>> 8);
      scratch[3] = (byte) v;
      write(scratch, 0, 4);
    }

    void writeUvarint(long v) throws IOException {
      int n = Varint.putUvarint(scratch, 0, v);
      write(scratch, 0, n);
    }

    void padTo(int alignment) throws IOException {
      int pad = (int) ((alignment - pos % alignment) % alignment);
      if (pad > 0) {
        write(ZEROS, 0, pad);
      }
    }

    void flushAndClose() throws IOException {
      os.flush();
      if (channel != null) {
        channel.force(true);
        os.close();
      }
    }

    void closeQuietly(Throwable primary) {
      if (channel != null) {
        try {
          os.close();
        } catch (IOException e) {
          primary.addSuppressed(e);
        }
      }
    }
  }
}
