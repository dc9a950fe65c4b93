package dev.orrery.core.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.orrery.core.io.ByteArraySource;
import dev.orrery.core.io.CorruptBlockException;
import dev.orrery.core.io.CorruptDataException;
import dev.orrery.core.io.Crc32c;
import dev.orrery.core.io.DecodeBuffer;
import dev.orrery.core.labels.Labels;
import dev.orrery.core.labels.Matcher;
import dev.orrery.core.testing.Generators;
import dev.orrery.core.testing.Properties;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

/**
 * Damaged index files: every failure is a {@link CorruptBlockException} (at open, verify) or a
 * {@link CorruptDataException} (lazy reads) naming the file and the offset; never an AIOOBE, a
 * {@code BufferUnderflowException}, an NPE or a hang.
 */
class IndexCorruptionTest {
  private static final String NAME = "01JTEST/index";

  private static byte[] pristine(IndexWriter.Layout layout) {
    return IndexFixture.random(new Random(11), 60, 80).write(layout);
  }

  private static IndexReader open(byte[] bytes) throws IOException {
    return IndexReader.open(new ByteArraySource(NAME, bytes));
  }

  private static Toc toc(byte[] bytes) throws IOException {
    try (IndexReader r = open(bytes)) {
      return r.toc();
    }
  }

  // ---- header, TOC, truncation ----

  @Test
  void truncatedFileIsRejectedAtOpen() {
    byte[] b = pristine(IndexWriter.Layout.CURRENT);
    for (int len : new int[] {0, 4, 5, 56, b.length / 2, b.length - 1}) {
      byte[] t = java.util.Arrays.copyOf(b, len);
      Throwable e = catchThrowable(() -> open(t));
      assertThat(e).as("length %d", len).isInstanceOf(CorruptBlockException.class)
          .hasMessageContaining(NAME);
      assertThat(((CorruptBlockException) e).resource()).isEqualTo(NAME);
      assertThat(((CorruptBlockException) e).offset()).isGreaterThanOrEqualTo(0);
    }
  }

  @Test
  void badMagicIsRejected() {
    byte[] b = pristine(IndexWriter.Layout.CURRENT);
    b[1] ^= 0x10;
    assertThatThrownBy(() -> open(b)).isInstanceOf(CorruptBlockException.class)
        .hasMessage("bad index magic (expected baaad700, actual babad700) in " + NAME + " at offset 0");
  }

  @Test
  void unsupportedVersionsAreRejected() {
    byte[] b = pristine(IndexWriter.Layout.CURRENT);
    b[4] = 1;
    assertThatThrownBy(() -> open(b)).isInstanceOf(CorruptBlockException.class)
        .hasMessageContaining("version 1 is not supported").hasMessageEndingWith("at offset 4");
    b[4] = 4;
    assertThatThrownBy(() -> open(b)).isInstanceOf(CorruptBlockException.class)
        .hasMessageContaining("unsupported index format version 4");
  }

  @Test
  void flippedBitInTocIsRejected() {
    byte[] b = pristine(IndexWriter.Layout.CURRENT);
    int at = b.length - Toc.BYTES + 10;
    b[at] ^= 1;
    assertThatThrownBy(() -> open(b)).isInstanceOf(CorruptBlockException.class)
        .hasMessageStartingWith("TOC CRC32C mismatch").hasMessageEndingWith(" in " + NAME + " at offset "
            + (b.length - Toc.BYTES));
  }

  @Test
  void tocOffsetsOutOfOrderAreRejectedEvenWithAValidCrc() {
    byte[] b = pristine(IndexWriter.Layout.CURRENT);
    int toc = b.length - Toc.BYTES;
    ByteBuffer.wrap(b).putLong(toc + 40, b.length + 100L); // postingsTable past the TOC
    fixCrc(b, toc, 48);
    assertThatThrownBy(() -> open(b)).isInstanceOf(CorruptBlockException.class)
        .hasMessageContaining("TOC postingsTable offset").hasMessageContaining("out of range");
  }

  // ---- each section ----

  @Test
  void flippedBitInSymbolTableIsRejectedAtOpen() {
    byte[] b = pristine(IndexWriter.Layout.CURRENT);
    b[12] ^= 0x04;
    assertThatThrownBy(() -> open(b)).isInstanceOf(CorruptBlockException.class)
        .hasMessageStartingWith("symbol table CRC32C mismatch (expected ")
        .hasMessageEndingWith(" in " + NAME + " at offset 5");
  }

  @Test
  void wrongStoredCrcNamesExpectedAndActual() throws IOException {
    byte[] b = pristine(IndexWriter.Layout.CURRENT);
    Toc toc = toc(b);
    int at = (int) toc.postingsTable();
    int len = ByteBuffer.wrap(b).getInt(at);
    int crc = ByteBuffer.wrap(b).getInt(at + 4 + len);
    ByteBuffer.wrap(b).putInt(at + 4 + len, 0x00ff00ff);
    assertThatThrownBy(() -> open(b)).isInstanceOf(CorruptBlockException.class).hasMessage(String.format(
        "postings offset table CRC32C mismatch (expected 00ff00ff, actual %08x) in %s at offset %d", crc, NAME, at));
  }

  @Test
  void flippedBitInSeriesEntryFailsWhenTheSeriesIsRead() throws IOException {
    byte[] b = pristine(IndexWriter.Layout.CURRENT);
    long ref;
    try (IndexReader r = open(b)) {
      Postings all = r.allPostings();
      all.next();
      all.next();
      ref = all.at();
    }
    b[(int) (ref * 16) + 3] ^= 0x20;
    try (IndexReader r = open(b)) {
      assertThatThrownBy(() -> r.series(ref, new ChunkMetas())).isInstanceOf(CorruptDataException.class)
          .hasMessageStartingWith("series " + ref + " CRC32C mismatch")
          .hasMessageEndingWith(" in " + NAME + " at offset " + ref * 16);
      assertThatThrownBy(r::verify).isInstanceOf(CorruptBlockException.class)
          .hasMessageContaining("series " + ref + " CRC32C mismatch");
    }
  }

  @Test
  void flippedBitInPostingsListFailsWhenTheListIsRead() throws IOException {
    byte[] b = pristine(IndexWriter.Layout.CURRENT);
    Toc toc = toc(b);
    int first = (int) ((toc.postings() + 3) & ~3L); // the all-postings list
    b[first + 9] ^= 0x01;
    try (IndexReader r = open(b)) {
      assertThatThrownBy(r::allPostings).isInstanceOf(CorruptDataException.class)
          .hasMessageStartingWith("postings list CRC32C mismatch")
          .hasMessageEndingWith(" in " + NAME + " at offset " + first);
      assertThatThrownBy(() -> r.postingsForMatchers(Matcher.equal("a", ""))).isInstanceOf(
          CorruptDataException.class);
    }
  }

  @Test
  void flippedBitInLegacyLabelIndexIsFoundByVerify() throws IOException {
    byte[] b = pristine(IndexWriter.Layout.LEGACY);
    Toc toc = toc(b);
    int first = (int) ((toc.labelIndices() + 3) & ~3L);
    b[first + 6] ^= 0x01;
    try (IndexReader r = open(b)) {
      assertThat(r.labelNames()).isNotEmpty(); // the reader never needs the legacy sections
      assertThatThrownBy(r::verify).isInstanceOf(CorruptBlockException.class)
          .hasMessageContaining("label index for ").hasMessageContaining("CRC32C mismatch")
          .hasMessageEndingWith(" at offset " + first);
    }
  }

  @Test
  void flippedBitInLegacyLabelOffsetTableIsFoundByVerify() throws IOException {
    byte[] b = pristine(IndexWriter.Layout.LEGACY);
    Toc toc = toc(b);
    b[(int) toc.labelIndicesTable() + 9] ^= 0x01;
    try (IndexReader r = open(b)) {
      assertThatThrownBy(r::verify).isInstanceOf(CorruptBlockException.class)
          .hasMessageStartingWith("label offset table CRC32C mismatch")
          .hasMessageEndingWith(" at offset " + toc.labelIndicesTable());
    }
  }

  @Test
  void flippedBitInPostingsOffsetTableIsRejectedAtOpen() throws IOException {
    byte[] b = pristine(IndexWriter.Layout.CURRENT);
    Toc toc = toc(b);
    b[(int) toc.postingsTable() + 20] ^= 0x40;
    assertThatThrownBy(() -> open(b)).isInstanceOf(CorruptBlockException.class)
        .hasMessageStartingWith("postings offset table CRC32C mismatch")
        .hasMessageEndingWith(" at offset " + toc.postingsTable());
  }

  // ---- references out of range ----

  @Test
  void outOfRangeSeriesRefsNameFileAndOffset() throws IOException {
    try (IndexReader r = open(pristine(IndexWriter.Layout.CURRENT))) {
      assertThatThrownBy(() -> r.series(0, new ChunkMetas())).isInstanceOf(CorruptDataException.class)
          .hasMessageStartingWith("series ref 0 outside the series section").hasMessageEndingWith(" at offset 0");
      long past = r.toc().labelIndices() / 16 + 1;
      assertThatThrownBy(() -> r.series(past, new ChunkMetas())).isInstanceOf(CorruptDataException.class)
          .hasMessageEndingWith(NAME + " at offset " + past * 16);
      assertThatThrownBy(() -> r.series(-1, new ChunkMetas())).isInstanceOf(CorruptDataException.class)
          .hasMessageContaining(NAME);
      assertThatThrownBy(() -> r.series(1L << 40, new ChunkMetas())).isInstanceOf(CorruptDataException.class);
      // A ref inside the section but in the middle of a long entry: its bytes fail the length or CRC check.
      long[] refs = Postings.expand(r.allPostings());
      long between = -1;
      for (int i = 1; i < refs.length && between < 0; i++) {
        if (refs[i] > refs[i - 1] + 1) {
          between = refs[i - 1] + 1;
        }
      }
      assertThat(between).as("an entry longer than 16 bytes").isPositive();
      long mid = between;
      assertThatThrownBy(() -> r.series(mid, new ChunkMetas())).isInstanceOf(CorruptDataException.class);
    }
  }

  @Test
  void postingsOffsetOutsideThePostingsAreaIsRejectedAtOpen() throws IOException {
    byte[] b = pristine(IndexWriter.Layout.CURRENT);
    Toc toc = toc(b);
    // The first entry is ("", "") -> all-postings: 01 | 02 00 00 | offset uvarint (2+ bytes for these sizes).
    int entry = (int) toc.postingsTable() + 8;
    assertThat(b[entry]).isEqualTo((byte) 2);
    int offsetAt = entry + 3;
    assertThat(b[offsetAt] & 0x80).as("offset is a multi-byte uvarint").isNotZero();
    b[offsetAt + 1] = 0x7F; // same length, far beyond the file
    int len = ByteBuffer.wrap(b).getInt((int) toc.postingsTable());
    fixCrc(b, (int) toc.postingsTable() + 4, len);
    assertThatThrownBy(() -> open(b)).isInstanceOf(CorruptBlockException.class)
        .hasMessageContaining("postings offset ").hasMessageContaining("outside the postings area")
        .hasMessageEndingWith(" at offset " + offsetAt);
  }

  @Test
  void postingsRefToMissingSeriesFailsOnReadAndInVerify() throws IOException {
    byte[] b = pristine(IndexWriter.Layout.CURRENT);
    Toc toc = toc(b);
    int first = (int) ((toc.postings() + 3) & ~3L);
    int len = ByteBuffer.wrap(b).getInt(first);
    ByteBuffer.wrap(b).putInt(first + 4 + len - 4, 0x7FFFFFF0); // the last all-postings ref
    fixCrc(b, first + 4, len);
    try (IndexReader r = open(b)) {
      long[] refs = Postings.expand(r.allPostings());
      long bad = refs[refs.length - 1];
      assertThat(bad).isEqualTo(0x7FFFFFF0L);
      assertThatThrownBy(() -> r.series(bad, new ChunkMetas())).isInstanceOf(CorruptDataException.class)
          .hasMessageContaining("outside the series section");
      assertThatThrownBy(r::verify).isInstanceOf(CorruptBlockException.class)
          .hasMessageContaining("refers to series " + bad + ", which does not exist");
    }
  }

  @Test
  void closedReaderRejectsCalls() throws IOException {
    IndexReader r = open(pristine(IndexWriter.Layout.CURRENT));
    r.close();
    r.close();
    assertThatThrownBy(r::allPostings).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
  }

  // ---- random damage ----

  /** Everything a reader exposes, read through the public API; equal snapshots mean identical content. */
  record Snapshot(List<String> symbols, List<String> names, Map<String, List<String>> values,
      Map<String, List<Long>> postings, List<Labels> series, List<ChunkMetas> chunks, List<Long> selected,
      IndexReader.VerifyReport report) {}

  static Snapshot snapshot(IndexReader r, boolean verify) throws IOException {
    List<String> symbols = r.symbols();
    List<String> names = r.labelNames();
    Map<String, List<String>> values = new LinkedHashMap<>();
    Map<String, List<Long>> postings = new LinkedHashMap<>();
    for (String n : names) {
      List<String> vs = r.labelValues(n);
      values.put(n, vs);
      for (String v : vs) {
        postings.put(n + "=" + v, boxed(Postings.expand(r.postings(n, v))));
      }
      values.put(n + "{a!=\"\"}", r.labelValues(n, Matcher.notEqual("a", "")));
    }
    long[] all = Postings.expand(r.allPostings());
    postings.put("all", boxed(all));
    List<Labels> series = new ArrayList<>();
    List<ChunkMetas> chunks = new ArrayList<>();
    for (long ref : all) {
      ChunkMetas c = new ChunkMetas();
      series.add(r.series(ref, c));
      chunks.add(c);
    }
    List<Long> selected = boxed(Postings.expand(r.postingsForMatchers(Matcher.regex("a", "x.*|"),
        Matcher.notEqual("job", "api"))));
    postings.put("names{b=~.+}", List.of((long) r.labelNames(Matcher.regex("b", ".+")).size()));
    return new Snapshot(symbols, names, values, postings, series, chunks, selected, verify ? r.verify() : null);
  }

  private static List<Long> boxed(long[] a) {
    List<Long> out = new ArrayList<>(a.length);
    for (long v : a) {
      out.add(v);
    }
    return out;
  }

  /** Random bit flips anywhere, optionally a truncation: identical content or our exception. */
  @Test
  void damagedIndexReadsBackIdenticallyOrThrowsOurException() {
    Properties.check("damagedIndexReadsBackIdenticallyOrThrowsOurException", 300,
        random -> damagedIndexReadsBackIdenticallyOrThrowsOurException(new Random(random.nextLong()),
            Generators.intBetween(random, 1, 6), random.nextBoolean(), random.nextBoolean()));
  }

  private static void damagedIndexReadsBackIdenticallyOrThrowsOurException(Random rnd, int flips, boolean truncate,
      boolean legacy) throws IOException {
    byte[] b = IndexFixture.random(rnd, 60).write(legacy ? IndexWriter.Layout.LEGACY : IndexWriter.Layout.CURRENT);
    Snapshot expected;
    try (IndexReader r = open(b)) {
      expected = snapshot(r, true);
    }
    byte[] damaged = b.clone();
    for (int i = 0; i < flips; i++) {
      damaged[rnd.nextInt(damaged.length)] ^= (byte) (1 << rnd.nextInt(8));
    }
    if (truncate) {
      damaged = java.util.Arrays.copyOf(damaged, rnd.nextInt(damaged.length));
    }
    byte[] input = damaged;
    Assertions.assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
      try (IndexReader r = open(input)) {
        assertThat(snapshot(r, true)).isEqualTo(expected);
      } catch (CorruptBlockException | CorruptDataException e) {
        assertThat(e.getMessage()).contains(NAME);
      }
    });
  }

  /**
   * Bytes changed inside a checksummed region whose CRC is then recomputed, so the decoders see well-checksummed
   * garbage: the reader may return different content, but fails only with our exceptions and never hangs.
   */
  @Test
  void garbageBehindValidChecksumsFailsOnlyWithOurExceptions() {
    Properties.check("garbageBehindValidChecksumsFailsOnlyWithOurExceptions", 400,
        random -> garbageBehindValidChecksumsFailsOnlyWithOurExceptions(new Random(random.nextLong()),
            Generators.intBetween(random, 1, 4), random.nextBoolean()));
  }

  private static void garbageBehindValidChecksumsFailsOnlyWithOurExceptions(Random rnd, int flips, boolean legacy)
      throws IOException {
    byte[] b = IndexFixture.random(rnd, 60).write(legacy ? IndexWriter.Layout.LEGACY : IndexWriter.Layout.CURRENT);
    List<int[]> regions = checksummedRegions(b);
    int[] region = regions.get(rnd.nextInt(regions.size()));
    Properties.assume(region[1] > 0);
    for (int i = 0; i < flips; i++) {
      int at = region[0] + rnd.nextInt(region[1]);
      b[at] = rnd.nextInt(3) == 0 ? (byte) rnd.nextInt(256) : (byte) (b[at] ^ (1 << rnd.nextInt(8)));
    }
    fixCrc(b, region[0], region[1]);
    Assertions.assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
      try (IndexReader r = open(b)) {
        snapshot(r, rnd.nextBoolean());
        r.verify();
      } catch (CorruptBlockException | CorruptDataException e) {
        assertThat(e.getMessage()).contains(NAME);
      }
    });
  }

  /** {start, length} of every CRC-covered body: tables, series entries, postings lists, legacy sections, TOC. */
  static List<int[]> checksummedRegions(byte[] b) throws IOException {
    List<int[]> out = new ArrayList<>();
    ByteBuffer buf = ByteBuffer.wrap(b);
    try (IndexReader r = open(b)) {
      Toc toc = r.toc();
      out.add(new int[] {(int) toc.symbols() + 4, buf.getInt((int) toc.symbols())});
      Postings all = r.allPostings();
      while (all.next()) {
        int at = (int) (all.at() * 16);
        DecodeBuffer d = new DecodeBuffer(buf, NAME, 0);
        d.position(at);
        int len = d.uvarintInt();
        out.add(new int[] {d.position(), len});
      }
      // Sections laid out back to back from the first 4-aligned offset after the series: label indices (legacy)
      // and postings lists, then the label offset table (legacy), all "len | body | crc".
      int at = (int) ((toc.labelIndices() + 3) & ~3L);
      while (at < toc.postingsTable()) {
        if (at == toc.postings() && at % 4 != 0) {
          at = (at + 3) & ~3;
          continue;
        }
        int len = buf.getInt(at);
        out.add(new int[] {at + 4, len});
        at += 8 + len;
        if (at == toc.postings()) {
          at = (at + 3) & ~3;
        }
      }
      out.add(new int[] {(int) toc.postingsTable() + 4, buf.getInt((int) toc.postingsTable())});
      out.add(new int[] {b.length - Toc.BYTES, 48});
    }
    return out;
  }

  /** Recomputes the BE32 CRC32C stored right after {@code b[at, at + len)}. */
  static void fixCrc(byte[] b, int at, int len) {
    ByteBuffer.wrap(b).putInt(at + len, Crc32c.of(b, at, len));
  }
}
