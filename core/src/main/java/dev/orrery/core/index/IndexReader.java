package dev.orrery.core.index;

import dev.orrery.core.io.ByteSource;
import dev.orrery.core.io.CorruptBlockException;
import dev.orrery.core.io.CorruptDataException;
import dev.orrery.core.io.Crc32c;
import dev.orrery.core.io.DecodeBuffer;
import dev.orrery.core.io.MmapByteSource;
import dev.orrery.core.labels.Labels;
import dev.orrery.core.labels.LabelsBuilder;
import dev.orrery.core.labels.Matcher;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;

/**
 * Reads an index file in format v2 ({@code FORMATS.md} section 4, both the current and the legacy layout) from any
 * {@link ByteSource}: a memory-mapped file, a byte array, or ranges of an object.
 *
 * <p><b>Checks.</b> {@link #open} checks the magic, the version (2, or 3 which Prometheus reads as 2), the TOC CRC and
 * offsets, and the length and CRC of the symbol table and the postings offset table, walking both once. Series entries
 * and postings lists are checked (length, CRC) each time they are read. {@link #verify()} checks everything else.
 * Problems found at open are {@link CorruptBlockException}s; problems found later, on the query path, are unchecked
 * {@link CorruptDataException}s. Both name the resource and the offset; a failing source read on the query path is an
 * {@link dev.orrery.core.OrreryException} with code {@code STORAGE}.
 *
 * <p><b>Memory.</b> Like Prometheus' reader it keeps every 32nd symbol's position, every label name, and every 32nd
 * value per name of the postings offset table; everything else is read from the source on demand.
 *
 * <p><b>Threads and lifetimes.</b> Thread-safe: any number of threads may query one reader. {@link Postings} it
 * returns are single-threaded cursors and may be views of the source's bytes (a mapping): do not use them after
 * {@link #close()}. Returned strings are ordinary immutable Java strings; label names are shared between calls and
 * with the reader, values are decoded per call. They remain valid after close.
 */
public final class IndexReader implements AutoCloseable {
  private static final int HEADER_BYTES = 5;

  private final ByteSource source;
  private final boolean ownsSource;
  private final String name;
  private final int version;
  private final Toc toc;
  private final Symbols symbols;
  private final PostingsOffsetTable table;
  private final long seriesStart;
  private final long seriesEnd;
  private final long listsStart;
  private final long listsEnd;
  // Label names are few and repeat in every series: their symbol ordinals map to shared strings.
  private final int[] nameOrdinals;
  private final String[] nameStrings;
  private volatile boolean closed;

  private IndexReader(ByteSource source, boolean ownsSource, int version, Toc toc, Symbols symbols,
      PostingsOffsetTable table, long seriesEnd, long listsStart, long listsEnd) {
    this.source = source;
    this.ownsSource = ownsSource;
    this.name = source.name();
    this.version = version;
    this.toc = toc;
    this.symbols = symbols;
    this.table = table;
    this.seriesStart = toc.series();
    this.seriesEnd = seriesEnd;
    this.listsStart = listsStart;
    this.listsEnd = listsEnd;
    String[] names = table.names();
    int[] ords = new int[names.length];
    String[] strs = new String[names.length];
    int n = 0;
    for (String s : names) {
      int ord = symbols.ordinalOf(s);
      if (ord >= 0 && (n == 0 || ord > ords[n - 1])) {
        ords[n] = ord;
        strs[n++] = s;
      }
    }
    this.nameOrdinals = Arrays.copyOf(ords, n);
    this.nameStrings = Arrays.copyOf(strs, n);
  }

  /**
   * Memory-maps {@code file} and opens the index in it. The reader owns the mapping and {@link #close()} releases it.
   *
   * @throws CorruptBlockException if a structural check fails
   * @throws IOException if the file cannot be read
   */
  public static IndexReader open(Path file) throws IOException {
    MmapByteSource src = MmapByteSource.open(file);
    try {
      return open(src, true);
    } catch (IOException | RuntimeException e) {
      src.close();
      throw e;
    }
  }

  /**
   * Opens the index held by {@code source}. The reader does not take ownership: the caller closes {@code source},
   * after the reader and the postings it returned are no longer used.
   *
   * @throws CorruptBlockException if a structural check fails
   * @throws IOException if the source cannot be read
   */
  public static IndexReader open(ByteSource source) throws IOException {
    return open(source, false);
  }

  private static IndexReader open(ByteSource source, boolean owns) throws IOException {
    Objects.requireNonNull(source, "source is null");
    String name = source.name();
    long size = source.size();
    if (size < HEADER_BYTES + Toc.BYTES) {
      throw new CorruptBlockException(name, 0, "index of " + size + " bytes is shorter than header and TOC ("
          + (HEADER_BYTES + Toc.BYTES) + " bytes)");
    }
    ByteBuffer header = source.read(0, HEADER_BYTES);
    int magic = header.getInt(0);
    if (magic != IndexWriter.MAGIC) {
      throw new CorruptBlockException(name, 0, String.format("bad index magic (expected %08x, actual %08x)",
          IndexWriter.MAGIC, magic));
    }
    int version = header.get(4) & 0xFF;
    if (version == 1) {
      throw new CorruptBlockException(name, 4, "index format version 1 is not supported (only 2 and 3)");
    }
    if (version != 2 && version != 3) {
      throw new CorruptBlockException(name, 4, "unsupported index format version " + version + " (expected 2 or 3)");
    }
    long tocAt = size - Toc.BYTES;
    Toc toc = Toc.decode(source.read(tocAt, Toc.BYTES), 0, name, tocAt);
    checkToc(name, toc, tocAt);

    Symbols symbols = toc.symbols() == 0 ? Symbols.empty(name)
        : Symbols.open(section(source, toc.symbols(), tocAt, "symbol table"), name, toc.symbols() + 4);

    long seriesEnd = toc.series() == 0 ? 0 : toc.labelIndices();
    long listsStart = toc.postings() != 0 ? toc.postings() : Math.max(seriesEnd, HEADER_BYTES);
    long listsEnd = toc.hasLegacyLabelIndices() ? toc.labelIndicesTable() : toc.postingsTable();
    PostingsOffsetTable table = toc.postingsTable() == 0 ? PostingsOffsetTable.empty(name)
        : PostingsOffsetTable.open(section(source, toc.postingsTable(), tocAt, "postings offset table"), name,
            toc.postingsTable() + 4, listsStart, listsEnd);
    return new IndexReader(source, owns, version, toc, symbols, table, seriesEnd, listsStart, listsEnd);
  }

  // Every present offset lies between the header and the TOC, and the sections come in file order (4.1, 4.5).
  private static void checkToc(String name, Toc toc, long tocAt) throws CorruptBlockException {
    long[] fields = {toc.symbols(), toc.series(), toc.labelIndices(), toc.postings(), toc.labelIndicesTable(),
        toc.postingsTable()};
    String[] names = {"symbols", "series", "labelIndices", "postings", "labelIndicesTable", "postingsTable"};
    long prev = HEADER_BYTES;
    String prevName = "header";
    for (int i = 0; i < fields.length; i++) {
      long f = fields[i];
      if (f == 0) {
        continue;
      }
      if (f < prev || f > tocAt) {
        throw new CorruptBlockException(name, tocAt, "TOC " + names[i] + " offset " + Long.toUnsignedString(f)
            + " out of range (must be between " + prevName + " " + prev + " and the TOC at " + tocAt + ")");
      }
      prev = f;
      prevName = names[i];
    }
    if (toc.series() != 0 && toc.labelIndices() == 0) {
      throw new CorruptBlockException(name, tocAt, "TOC has a series section but no end of it (labelIndices is 0)");
    }
  }

  /**
   * Reads a section {@code len BE32 | len bytes | CRC32C BE32} at {@code at}, checks that it ends before
   * {@code limit} and its CRC, and returns the {@code len} bytes.
   */
  static ByteBuffer section(ByteSource source, long at, long limit, String what) throws IOException {
    String name = source.name();
    if (at + 4 > limit) {
      throw new CorruptBlockException(name, at, what + " length field past the end of its area (" + limit + ")");
    }
    long len = Integer.toUnsignedLong(source.read(at, 4).getInt(0));
    if (at + 8 + len > limit || len > Integer.MAX_VALUE - 4) {
      throw new CorruptBlockException(name, at, what + " length " + len + " runs past the end of its area ("
          + limit + ")");
    }
    ByteBuffer b = source.read(at + 4, (int) len + 4);
    int want = b.getInt((int) len);
    int got = Crc32c.of(b, 0, (int) len);
    if (want != got) {
      throw new CorruptBlockException(name, at, String.format("%s CRC32C mismatch (expected %08x, actual %08x)",
          what, want, got));
    }
    return b.slice(0, (int) len);
  }

  /** Name of the source, as used in error messages. */
  public String name() {
    return name;
  }

  /** The format version byte of the file: 2, or 3 (read exactly like 2). */
  public int version() {
    return version;
  }

  /** The table of contents. */
  public Toc toc() {
    return toc;
  }

  /** Number of symbols in the symbol table. */
  public int symbolCount() {
    return symbols.count();
  }

  /**
   * The symbol with ordinal {@code ordinal}.
   *
   * @throws IndexOutOfBoundsException unless {@code 0 <= ordinal < symbolCount()}
   */
  public String symbol(int ordinal) {
    checkOpen();
    Objects.checkIndex(ordinal, symbols.count());
    return symbols.lookup(ordinal);
  }

  /** Every symbol, in table order (UTF-8 byte order). Materialises the whole table: for tools and tests. */
  public List<String> symbols() {
    checkOpen();
    List<String> out = new ArrayList<>(symbols.count());
    for (int i = 0; i < symbols.count(); i++) {
      out.add(symbols.lookup(i));
    }
    return out;
  }

  /** Label names of the index in UTF-8 byte order, without the empty all-postings name. */
  public List<String> labelNames() {
    checkOpen();
    return List.of(table.names());
  }

  /**
   * Label names of the series that match all {@code matchers} (read from those series), sorted. No matchers means
   * all names, as {@link #labelNames()}.
   */
  public List<String> labelNames(Matcher... matchers) {
    if (matchers.length == 0) {
      return labelNames();
    }
    Postings p = postingsForMatchers(matchers);
    BitSet seen = new BitSet();
    while (p.next()) {
      seriesNameOrdinals(p.at(), seen);
    }
    List<String> out = new ArrayList<>();
    for (int ord = seen.nextSetBit(0); ord >= 0; ord = seen.nextSetBit(ord + 1)) {
      out.add(nameOf(ord));
    }
    return out;
  }

  /** Values of label {@code name}, sorted (UTF-8 byte order); empty for an unknown name. */
  public List<String> labelValues(String name) {
    checkOpen();
    Objects.requireNonNull(name, "name is null");
    List<String> out = new ArrayList<>(table.valueCount(name));
    table.forEachValue(name, (v, off) -> out.add(v));
    return out;
  }

  /**
   * Values of label {@code name} over the series that match all {@code matchers}, sorted. A value is kept when its
   * postings list intersects the matched series.
   */
  public List<String> labelValues(String name, Matcher... matchers) {
    if (matchers.length == 0) {
      return labelValues(name);
    }
    long[] matched = Postings.expand(postingsForMatchers(matchers));
    List<String> out = new ArrayList<>();
    if (matched.length == 0) {
      return out;
    }
    table.forEachValue(name, (v, off) -> {
      Postings p = Postings.intersect(postingsAt(off), Postings.of(matched));
      if (p.next()) {
        out.add(v);
      }
    });
    return out;
  }

  /**
   * The series having label {@code name} with any of {@code values} (a merge when there are several). The pair
   * {@code ("", "")} is the all-postings key. Unknown pairs contribute nothing. Lists are length- and CRC-checked
   * here, then decoded lazily.
   *
   * @throws CorruptDataException if a list fails its checks
   */
  public Postings postings(String name, String... values) {
    checkOpen();
    Objects.requireNonNull(name, "name is null");
    if (values.length == 1) {
      long off = table.offsetOf(name, values[0]);
      return off < 0 ? Postings.empty() : postingsAt(off);
    }
    List<Postings> lists = new ArrayList<>(values.length);
    for (String v : values) {
      long off = table.offsetOf(name, v);
      if (off >= 0) {
        lists.add(postingsAt(off));
      }
    }
    return Postings.merge(lists);
  }

  /** Every series of the index, in reference order (the all-postings list). */
  public Postings allPostings() {
    checkOpen();
    long off = table.allPostingsOffset();
    return off < 0 ? Postings.empty() : postingsAt(off);
  }

  /**
   * Returns {@code p} in series label order. In format v2 series references ascend in label order already
   * (4.3), so this returns {@code p} itself; it exists so callers need not rely on that.
   */
  public Postings sortedPostings(Postings p) {
    return Objects.requireNonNull(p, "p is null");
  }

  /**
   * The series that match all {@code matchers}, with Prometheus' {@code PostingsForMatchers} semantics
   * ({@code tsdb/querier.go}): an absent label has the value {@code ""}; postings of matchers that cannot match
   * {@code ""} are intersected; matchers that match {@code ""} and negative matchers are subtracted; when nothing is
   * intersected the base is all postings. No matchers select nothing.
   */
  public Postings postingsForMatchers(Matcher... matchers) {
    checkOpen();
    return new MatcherPostings(this).select(matchers);
  }

  /**
   * Reads series {@code ref} into {@code builder} (reset first) and {@code chunks} (cleared first), after checking
   * its length and CRC.
   *
   * @throws CorruptDataException if {@code ref} is not a series of this index or its entry fails a check
   */
  public void series(long ref, LabelsBuilder builder, ChunkMetas chunks) {
    Objects.requireNonNull(builder, "builder is null");
    Objects.requireNonNull(chunks, "chunks is null");
    builder.reset();
    chunks.clear();
    DecodeBuffer d = seriesEntry(ref);
    int n = d.uvarintInt();
    for (int i = 0; i < n; i++) {
      int at = d.position();
      long nameOrd = d.uvarint32();
      long valueOrd = d.uvarint32();
      if (nameOrd >= symbols.count() || valueOrd >= symbols.count()) {
        throw d.corrupt(at, "series " + ref + " label " + i + " refers to symbol " + Math.max(nameOrd, valueOrd)
            + " of " + symbols.count());
      }
      builder.set(nameOf((int) nameOrd), symbols.lookup((int) valueOrd));
    }
    readChunks(d, chunks);
  }

  /** Same as {@link #series(long, LabelsBuilder, ChunkMetas)}, returning the labels. */
  public Labels series(long ref, ChunkMetas chunks) {
    LabelsBuilder b = new LabelsBuilder();
    series(ref, b, chunks);
    return b.build();
  }

  // 4.3: ci.mint - c(i-1).maxt and ci.maxt - ci.mint are uvarints, refs are a signed delta.
  private static void readChunks(DecodeBuffer d, ChunkMetas chunks) {
    int n = d.uvarintInt();
    if (n == 0) {
      return;
    }
    long min = d.varint();
    long max = min + d.uvarint();
    long ref = d.uvarint();
    chunks.add(min, max, ref);
    for (int i = 1; i < n; i++) {
      min = max + d.uvarint();
      max = min + d.uvarint();
      ref += d.varint();
      chunks.add(min, max, ref);
    }
  }

  // Collects the label name ordinals of series ref.
  private void seriesNameOrdinals(long ref, BitSet out) {
    DecodeBuffer d = seriesEntry(ref);
    int n = d.uvarintInt();
    for (int i = 0; i < n; i++) {
      int at = d.position();
      long nameOrd = d.uvarint32();
      d.uvarint32();
      if (nameOrd >= symbols.count()) {
        throw d.corrupt(at, "series " + ref + " label " + i + " refers to symbol " + nameOrd + " of "
            + symbols.count());
      }
      out.set((int) nameOrd);
    }
  }

  private String nameOf(int ord) {
    int i = Arrays.binarySearch(nameOrdinals, ord);
    return i >= 0 ? nameStrings[i] : symbols.lookup(ord);
  }

  /** The CRC-checked body of series {@code ref}, positioned at its first field. */
  DecodeBuffer seriesEntry(long ref) {
    checkOpen();
    if (ref < 0 || ref > 0xFFFFFFFFL || ref * 16 < seriesStart || ref * 16 >= seriesEnd) {
      throw new CorruptDataException(name, ref >= 0 && ref <= 0xFFFFFFFFL ? ref * 16 : -1, "series ref " + ref
          + " outside the series section [" + seriesStart + ", " + seriesEnd + ")");
    }
    long at = ref * 16;
    int headLen = (int) Math.min(5, seriesEnd - at);
    DecodeBuffer head = new DecodeBuffer(read(at, headLen), name, at);
    int len = head.uvarintInt();
    long bodyAt = at + head.position();
    if (len > Integer.MAX_VALUE - 4 || bodyAt + len + 4 > seriesEnd) {
      throw new CorruptDataException(name, at, "series entry length " + len + " runs past the end of the series "
          + "section (" + seriesEnd + ")");
    }
    ByteBuffer b = read(bodyAt, len + 4);
    int want = b.getInt(len);
    int got = Crc32c.of(b, 0, len);
    if (want != got) {
      throw new CorruptDataException(name, at, String.format(
          "series %d CRC32C mismatch (expected %08x, actual %08x)", ref, want, got));
    }
    return new DecodeBuffer(b.slice(0, len), name, bodyAt);
  }

  /** The postings list whose {@code len} field is at {@code off}, checked (4.4) and wrapped as a lazy view. */
  Postings postingsAt(long off) {
    ByteBuffer b = postingsBody(off);
    return Postings.bigEndian(b, 4, (b.limit() - 4) / 4);
  }

  // n | refs, length and CRC checked.
  ByteBuffer postingsBody(long off) {
    if (off < listsStart || off + 12 > listsEnd) {
      throw new CorruptDataException(name, off, "postings list offset outside the postings area [" + listsStart
          + ", " + listsEnd + ")");
    }
    long len = Integer.toUnsignedLong(read(off, 4).getInt(0));
    if (len < 4 || (len & 3) != 0 || off + 8 + len > listsEnd) {
      throw new CorruptDataException(name, off, "postings list length " + len + " invalid (must be 4 + 4n and end "
          + "before " + listsEnd + ")");
    }
    ByteBuffer b = read(off + 4, (int) len + 4);
    int want = b.getInt((int) len);
    int got = Crc32c.of(b, 0, (int) len);
    if (want != got) {
      throw new CorruptDataException(name, off, String.format(
          "postings list CRC32C mismatch (expected %08x, actual %08x)", want, got));
    }
    long n = Integer.toUnsignedLong(b.getInt(0));
    if (n != (len - 4) / 4) {
      throw new CorruptDataException(name, off + 4, "postings list count " + n + " does not match its length "
          + len);
    }
    return b.slice(0, (int) len);
  }

  private ByteBuffer read(long off, int len) {
    try {
      return source.read(off, len);
    } catch (IOException e) {
      throw Corruption.unchecked(e, name, off);
    }
  }

  /** The postings offset table, for {@link MatcherPostings} and {@link IndexVerifier}. */
  PostingsOffsetTable table() {
    return table;
  }

  Symbols symbolTable() {
    return symbols;
  }

  ByteSource source() {
    return source;
  }

  long seriesStart() {
    return seriesStart;
  }

  long seriesEnd() {
    return seriesEnd;
  }

  long listsStart() {
    return listsStart;
  }

  long listsEnd() {
    return listsEnd;
  }

  /**
   * Checks the whole file, for {@code orrery tools block verify}: every section's length and CRC (including the
   * legacy label indices and label offset table), symbols sorted, every series entry's CRC, label order and chunk
   * rules, series in strictly ascending label order, every postings list sorted and pointing at real series, and
   * postings consistent with the series' labels.
   *
   * @return a summary of what was checked
   * @throws CorruptBlockException at the first problem, naming file and offset
   * @throws IOException if the source cannot be read
   */
  public VerifyReport verify() throws IOException {
    checkOpen();
    return new IndexVerifier(this).verify();
  }

  /**
   * What {@link #verify()} found in a healthy index.
   *
   * @param series number of series entries
   * @param chunks number of chunk references over all series
   * @param symbols number of symbols
   * @param postingsLists number of postings lists, including the all-postings list
   * @param postingsEntries number of refs over all postings lists
   */
  public record VerifyReport(long series, long chunks, long symbols, long postingsLists, long postingsEntries) {}

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("index reader for " + name + " is closed");
    }
  }

  /** Closes the source when the reader opened it ({@link #open(Path)}); otherwise only marks the reader closed. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    if (ownsSource) {
      source.close();
    }
  }

  @Override
  public String toString() {
    return "IndexReader[" + name + ", v" + version + ", " + symbols.count() + " symbols, "
        + table.names().length + " label names]";
  }
}
