package dev.orrery.core.index;

import dev.orrery.core.labels.Labels;
import dev.orrery.core.labels.LabelsBuilder;
import dev.orrery.core.labels.Utf8Order;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;

/** Random but valid index content (series in label order, chunk rules of 4.3) and its expected postings. */
record IndexFixture(List<Labels> series, List<ChunkMetas> chunks) {
  /** Names and values with the orderings that matter: UTF-16 vs UTF-8 (U+FF21 vs a surrogate pair), prefixes. */
  static final String[] NAMES = {"__name__", "a", "ab", "b", "job", "z\uFF21", "z\uD83D\uDE00"};
  static final String[] VALUES = {"x", "xy", "y", "api", "api-server", "node", "1", "10", "2", "naïve", "\uFF21",
      "\uD83D\uDE00", "with \"quote\"", "new\nline"};

  static IndexFixture random(Random rnd, int maxSeries) {
    return random(rnd, 0, maxSeries);
  }

  /** Between {@code minSeries} and {@code maxSeries} label sets are drawn; duplicates collapse, so fewer may remain. */
  static IndexFixture random(Random rnd, int minSeries, int maxSeries) {
    TreeSet<Labels> set = new TreeSet<>();
    boolean highCardinality = rnd.nextInt(3) == 0;
    int n = minSeries + rnd.nextInt(maxSeries - minSeries + 1);
    for (int i = 0; i < n; i++) {
      LabelsBuilder b = new LabelsBuilder();
      int labels = 1 + rnd.nextInt(4);
      for (int l = 0; l < labels; l++) {
        b.set(NAMES[rnd.nextInt(NAMES.length)], VALUES[rnd.nextInt(VALUES.length)]);
      }
      if (highCardinality && rnd.nextBoolean()) {
        // Hundreds of values for one name: more than one 32-entry block of symbols and of postings offsets.
        b.set("id", Integer.toString(rnd.nextInt(400), 36));
      }
      set.add(b.build());
    }
    List<Labels> series = new ArrayList<>(set);
    List<ChunkMetas> chunks = new ArrayList<>();
    long ref = 8;
    for (int i = 0; i < series.size(); i++) {
      ChunkMetas c = new ChunkMetas();
      int k = rnd.nextInt(5) == 0 ? 0 : 1 + rnd.nextInt(4);
      long t = rnd.nextBoolean() ? -5_000 + rnd.nextInt(10_000) : 1_704_067_200_000L + rnd.nextInt(1_000_000);
      for (int j = 0; j < k; j++) {
        long max = t + rnd.nextInt(7_200_000);
        c.add(t, max, ref);
        t = max + 1 + rnd.nextInt(100_000);
        ref += rnd.nextInt(3) == 0 ? (1L << 32) : 1 + rnd.nextInt(2_000);
      }
      chunks.add(c);
    }
    return new IndexFixture(series, chunks);
  }

  /** Every label string of the series plus {@code ""}, sorted by UTF-8 bytes: what the writer derives. */
  List<String> symbols() {
    TreeSet<String> s = new TreeSet<>(Utf8Order.COMPARATOR);
    s.add("");
    for (Labels l : series) {
      for (int i = 0; i < l.size(); i++) {
        s.add(l.name(i));
        s.add(l.value(i));
      }
    }
    return new ArrayList<>(s);
  }

  /** name -> value -> positions (0-based series index) having that label. */
  TreeMap<String, TreeMap<String, List<Integer>>> postings() {
    TreeMap<String, TreeMap<String, List<Integer>>> out = new TreeMap<>(Utf8Order.COMPARATOR);
    for (int i = 0; i < series.size(); i++) {
      Labels l = series.get(i);
      for (int j = 0; j < l.size(); j++) {
        out.computeIfAbsent(l.name(j), k -> new TreeMap<>(Utf8Order.COMPARATOR))
            .computeIfAbsent(l.value(j), k -> new ArrayList<>()).add(i);
      }
    }
    return out;
  }

  /** Writes the fixture; with {@code extraSymbols} the symbols are given explicitly, including unused ones. */
  byte[] write(IndexWriter.Layout layout, List<String> explicitSymbols) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (IndexWriter w = IndexWriter.create(out, "fixture", layout)) {
      if (explicitSymbols != null) {
        w.addSymbols(explicitSymbols);
      }
      for (int i = 0; i < series.size(); i++) {
        w.addSeries(series.get(i), chunks.get(i));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  byte[] write(IndexWriter.Layout layout) {
    return write(layout, null);
  }
}
