package dev.orrery.core.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orrery.core.io.ByteArraySource;
import dev.orrery.core.labels.Labels;
import dev.orrery.core.labels.LabelsBuilder;
import dev.orrery.core.labels.Utf8Order;
import dev.orrery.core.testing.Generators;
import dev.orrery.core.testing.Properties;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IndexRoundTripTest {

  @Test
  void writtenIndexReadsBackIdentically() {
    Properties.check("writtenIndexReadsBackIdentically", 150,
        random -> writtenIndexReadsBackIdentically(new Random(random.nextLong()), Generators.size(random, 0, 150),
            random.nextBoolean(), random.nextBoolean()));
  }

  private static void writtenIndexReadsBackIdentically(Random rnd, int maxSeries, boolean legacy,
      boolean explicitSymbols) throws IOException {
    IndexFixture f = IndexFixture.random(rnd, maxSeries);
    List<String> symbols = f.symbols();
    if (explicitSymbols) {
      // Extra symbols no series uses are allowed (4.2) and must be kept.
      TreeSet<String> s = new TreeSet<>(Utf8Order.COMPARATOR);
      s.addAll(symbols);
      s.add("unused");
      s.add("\uD83D\uDE01unused");
      symbols = new ArrayList<>(s);
    }
    IndexWriter.Layout layout = legacy ? IndexWriter.Layout.LEGACY : IndexWriter.Layout.CURRENT;
    byte[] bytes = f.write(layout, explicitSymbols ? symbols : null);
    try (IndexReader r = IndexReader.open(new ByteArraySource("rt", bytes))) {
      assertContent(r, f, symbols);
      assertThat(r.toc().hasLegacyLabelIndices()).isEqualTo(legacy);
      IndexReader.VerifyReport report = r.verify();
      assertThat(report.series()).isEqualTo(f.series().size());
      assertThat(report.symbols()).isEqualTo(symbols.size());
    }
  }

  static void assertContent(IndexReader r, IndexFixture f, List<String> symbols) {
    assertThat(r.symbols()).isEqualTo(symbols);
    long[] refs = Postings.expand(r.allPostings());
    assertThat(refs).hasSize(f.series().size());
    LabelsBuilder b = new LabelsBuilder();
    ChunkMetas c = new ChunkMetas();
    for (int i = 0; i < refs.length; i++) {
      r.series(refs[i], b, c);
      assertThat(b.build()).isEqualTo(f.series().get(i));
      assertThat(c).isEqualTo(f.chunks().get(i));
    }
    TreeMap<String, TreeMap<String, List<Integer>>> expected = f.postings();
    assertThat(r.labelNames()).containsExactlyElementsOf(expected.keySet());
    for (Map.Entry<String, TreeMap<String, List<Integer>>> e : expected.entrySet()) {
      assertThat(r.labelValues(e.getKey())).containsExactlyElementsOf(e.getValue().keySet());
      List<Long> all = new ArrayList<>();
      for (Map.Entry<String, List<Integer>> v : e.getValue().entrySet()) {
        List<Long> want = new ArrayList<>();
        v.getValue().forEach(i -> want.add(refs[i]));
        assertThat(Postings.expand(r.postings(e.getKey(), v.getKey()))).containsExactly(longs(want));
        all.addAll(want);
      }
      String[] values = e.getValue().keySet().toArray(new String[0]);
      assertThat(Postings.expand(r.postings(e.getKey(), values))).containsExactly(longs(new TreeSet<>(all)));
    }
    assertThat(Postings.expand(r.postings("no-such-name", "x"))).isEmpty();
    assertThat(Postings.expand(r.postings("a", "no-such-value"))).isEmpty();
    assertThat(r.labelValues("no-such-name")).isEmpty();
  }

  static long[] longs(java.util.Collection<Long> c) {
    return c.stream().mapToLong(Long::longValue).toArray();
  }

  @Test
  void emptyIndexRoundTripsInBothLayouts() throws IOException {
    for (IndexWriter.Layout layout : IndexWriter.Layout.values()) {
      byte[] bytes = new IndexFixture(List.of(), List.of()).write(layout);
      try (IndexReader r = IndexReader.open(new ByteArraySource("empty", bytes))) {
        assertThat(r.symbols()).containsExactly("");
        assertThat(r.allPostings().next()).isFalse();
        assertThat(r.labelNames()).isEmpty();
        assertThat(r.verify().series()).isZero();
      }
    }
  }

  @Test
  void writesToAFileThatReadsBackMapped(@TempDir Path dir) throws IOException {
    IndexFixture f = IndexFixture.random(new Random(42), 300);
    Path file = dir.resolve("index");
    try (IndexWriter w = IndexWriter.create(file)) {
      for (int i = 0; i < f.series().size(); i++) {
        w.addSeries(f.series().get(i), f.chunks().get(i));
      }
    }
    assertThat(Files.readAllBytes(file)).isEqualTo(f.write(IndexWriter.Layout.CURRENT));
    try (IndexReader r = IndexReader.open(file)) {
      assertContent(r, f, f.symbols());
      r.verify();
    }
  }

  @Test
  void oneReaderServesManyThreads(@TempDir Path dir) throws Exception {
    IndexFixture f = IndexFixture.random(new Random(9), 200, 400);
    Path file = dir.resolve("index");
    Files.write(file, f.write(IndexWriter.Layout.LEGACY));
    try (IndexReader r = IndexReader.open(file)) {
      List<Thread> threads = new ArrayList<>();
      List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
      for (int t = 0; t < 4; t++) {
        Thread th = new Thread(() -> {
          try {
            for (int i = 0; i < 20; i++) {
              assertContent(r, f, f.symbols());
            }
          } catch (Throwable e) {
            failures.add(e);
          }
        });
        threads.add(th);
        th.start();
      }
      for (Thread th : threads) {
        th.join();
      }
      assertThat(failures).isEmpty();
    }
  }

  @Test
  void streamingAndBufferedWritersProduceTheSameBytes() {
    IndexFixture f = IndexFixture.random(new Random(3), 200);
    for (IndexWriter.Layout layout : IndexWriter.Layout.values()) {
      assertThat(f.write(layout, f.symbols())).isEqualTo(f.write(layout));
    }
  }

  @Test
  void version3IsReadLikeVersion2() throws IOException {
    IndexFixture f = IndexFixture.random(new Random(5), 50);
    byte[] bytes = f.write(IndexWriter.Layout.CURRENT);
    bytes[4] = 3;
    try (IndexReader r = IndexReader.open(new ByteArraySource("v3", bytes))) {
      assertThat(r.version()).isEqualTo(3);
      assertContent(r, f, f.symbols());
    }
  }

  @Test
  void headerAndFirstSectionsAreLaidOutAsSpecified() throws IOException {
    IndexFixture f = new IndexFixture(List.of(Labels.of("a", "1")), List.of(new ChunkMetas().add(10, 20, 8)));
    byte[] b = f.write(IndexWriter.Layout.CURRENT);
    // magic, version 2, symbol table: len 10 = count(4) + "" (1) + "1" (2) + "a" (2) + ... then CRC.
    assertThat(b).startsWith(0xBA - 256, 0xAA - 256, 0xD7 - 256, 0x00, 0x02, 0, 0, 0, 9, 0, 0, 0, 3, 0, 1, '1', 1,
        'a');
    try (IndexReader r = IndexReader.open(new ByteArraySource("one", b))) {
      Toc toc = r.toc();
      assertThat(toc.symbols()).isEqualTo(5);
      assertThat(toc.series()).isEqualTo(5 + 4 + 9 + 4);
      assertThat(toc.postings()).isEqualTo(toc.labelIndices());
      assertThat(toc.labelIndicesTable()).isEqualTo(toc.postingsTable());
      long[] refs = Postings.expand(r.allPostings());
      assertThat(refs).containsExactly(2L); // first entry at offset 32 after padding from 22
    }
  }

  // ---- writer preconditions ----

  @Test
  void outOfOrderSeriesAreRejected() throws IOException {
    IndexWriter w = IndexWriter.create(new ByteArrayOutputStream(), "w", IndexWriter.Layout.CURRENT);
    w.addSeries(Labels.of("a", "2"), new ChunkMetas());
    assertThatThrownBy(() -> w.addSeries(Labels.of("a", "1"), new ChunkMetas()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("out of order");
    assertThatThrownBy(() -> w.addSeries(Labels.of("a", "2"), new ChunkMetas()))
        .isInstanceOf(IllegalArgumentException.class);
    w.addSeries(Labels.of("a", "2", "b", "1"), new ChunkMetas());
    w.close();
    w.close();
    assertThatThrownBy(() -> w.addSeries(Labels.of("c", "1"), new ChunkMetas()))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
  }

  @Test
  void seriesOrderIsUtf8ByteOrderNotUtf16() throws IOException {
    IndexWriter w = IndexWriter.create(new ByteArrayOutputStream(), "w", IndexWriter.Layout.CURRENT);
    w.addSeries(Labels.of("a", "\uFF21"), new ChunkMetas());
    w.addSeries(Labels.of("a", "\uD83D\uDE00"), new ChunkMetas()); // U+1F600 sorts after U+FF21 in UTF-8
    w.close();
  }

  @Test
  void chunkRulesAreEnforced() throws IOException {
    IndexWriter w = IndexWriter.create(new ByteArrayOutputStream(), "w", IndexWriter.Layout.CURRENT);
    assertThatThrownBy(() -> w.addSeries(Labels.of("a", "1"), new ChunkMetas().add(20, 10, 8)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("minTime 20 > maxTime 10");
    assertThatThrownBy(() -> w.addSeries(Labels.of("a", "1"), new ChunkMetas().add(0, 10, 8).add(10, 20, 9)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("overlaps");
    assertThatThrownBy(() -> w.addSeries(Labels.of("a", "1"), new ChunkMetas().add(0, 10, 9).add(11, 20, 8)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unsorted chunk reference");
    w.addSeries(Labels.of("a", "1"), new ChunkMetas().add(0, 10, 100));
    assertThatThrownBy(() -> w.addSeries(Labels.of("a", "2"), new ChunkMetas().add(0, 10, 99)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unsorted chunk reference");
    w.close();
  }

  @Test
  void symbolsAreCheckedWhenGiven() throws IOException {
    IndexWriter unsorted = IndexWriter.create(new ByteArrayOutputStream(), "w", IndexWriter.Layout.CURRENT);
    assertThatThrownBy(() -> unsorted.addSymbols(List.of("b", "a"))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not after");
    IndexWriter w = IndexWriter.create(new ByteArrayOutputStream(), "w", IndexWriter.Layout.CURRENT);
    w.addSymbol("1");
    assertThatThrownBy(() -> w.addSeries(Labels.of("a", "1"), new ChunkMetas()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not in the symbol table");
    w.addSymbol("a");
    w.addSeries(Labels.of("a", "1"), new ChunkMetas());
    assertThatThrownBy(() -> w.addSymbol("b")).isInstanceOf(IllegalStateException.class);
    w.close();
  }
}
