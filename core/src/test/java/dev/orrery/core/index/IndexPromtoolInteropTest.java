package dev.orrery.core.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.orrery.core.labels.Labels;
import dev.orrery.core.labels.LabelsBuilder;
import dev.orrery.core.labels.Matcher;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interop with Prometheus 2.42: a block made by {@code promtool tsdb create-blocks-from openmetrics} is read, verified,
 * and re-written from its symbols and series; the legacy layout must reproduce the index byte for byte. Needs
 * {@code promtool} (Debian package {@code prometheus}); outside CI a missing promtool skips, under {@code CI=true}
 * it fails.
 */
@Tag("interop")
class IndexPromtoolInteropTest {
  private static final long START_SECONDS = 1_704_067_200L; // 2024-01-01T00:00Z, a multiple of 2h

  @TempDir
  static Path dir;
  private static Path promtool;
  private static Path index;
  private static Path tombstones;

  @BeforeAll
  static void createBlock() throws Exception {
    promtool = findPromtool();
    if (promtool == null) {
      String why = "promtool not found on PATH or at /usr/bin/promtool (install it: apt-get install -y prometheus)";
      if ("true".equals(System.getenv("CI"))) {
        fail(why);
      }
      Assumptions.abort(why);
    }
    Path om = dir.resolve("data.om");
    Files.writeString(om, openMetrics(), StandardCharsets.UTF_8);
    Path blocks = dir.resolve("blocks");
    run(promtool.toString(), "tsdb", "create-blocks-from", "openmetrics", om.toString(), blocks.toString());
    try (Stream<Path> s = Files.list(blocks)) {
      List<Path> ids = s.filter(Files::isDirectory).toList();
      assertThat(ids).as("promtool wrote one block").hasSize(1);
      index = ids.get(0).resolve("index");
      tombstones = ids.get(0).resolve("tombstones");
    }
  }

  /** Runs a command, fails on a non-zero exit status, returns its standard output (stderr separate). */
  static String run(String... command) throws IOException, InterruptedException {
    Path err = Files.createTempFile(dir, "stderr", ".txt");
    Process p = new ProcessBuilder(command).redirectError(err.toFile()).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("%s finished", List.of(command)).isTrue();
    assertThat(p.exitValue()).as("exit status of %s, stderr:%n%s", List.of(command), Files.readString(err)).isZero();
    return output;
  }

  static Path findPromtool() {
    String path = System.getenv("PATH");
    if (path != null) {
      for (String d : path.split(java.io.File.pathSeparator)) {
        Path c = Path.of(d, "promtool");
        if (Files.isExecutable(c)) {
          return c;
        }
      }
    }
    Path c = Path.of("/usr/bin/promtool");
    return Files.isExecutable(c) ? c : null;
  }

  /**
   * A small data set: two families, label values with quotes, backslashes, newlines, non-ASCII and a supplementary
   * character (where UTF-16 and UTF-8 order differ), and series long enough for several chunks.
   */
  static String openMetrics() {
    StringBuilder sb = new StringBuilder();
    String[] handlers = {"/", "/api/v1/query", "/metrics", "naïve", "\uFF21wide", "\uD83D\uDE00smile"};
    String[] methods = {"GET", "POST"};
    sb.append("# TYPE http_requests counter\n");
    for (String h : handlers) {
      for (String m : methods) {
        for (int inst = 0; inst < 3; inst++) {
          String labels = "{instance=\"host-" + inst + ":9090\",job=\"api\",handler=\"" + h + "\",method=\"" + m
              + "\"}";
          int samples = 30 + inst * 150; // 30, 180, 330 samples at 15s: one to three chunks
          for (int i = 0; i < samples; i++) {
            sb.append("http_requests_total").append(labels).append(' ').append(i * 3 + inst).append(' ')
                .append(START_SECONDS + i * 15L).append('\n');
          }
        }
      }
    }
    sb.append("# TYPE build_info gauge\n");
    String[] descriptions = {"plain", "quote \\\" and backslash \\\\", "new\\nline", "ünïcödé"};
    for (int i = 0; i < descriptions.length; i++) {
      for (int t = 0; t < 20; t++) {
        sb.append("build_info{description=\"").append(descriptions[i]).append("\",version=\"1.").append(i)
            .append("\"} 1 ").append(START_SECONDS + t * 60L).append('\n');
      }
    }
    sb.append("# EOF\n");
    return sb.toString();
  }

  private static byte[] rewrite(IndexReader r, IndexWriter.Layout layout) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (IndexWriter w = IndexWriter.create(out, "rewritten", layout)) {
      w.addSymbols(r.symbols());
      Postings all = r.allPostings();
      LabelsBuilder b = new LabelsBuilder();
      ChunkMetas chunks = new ChunkMetas();
      while (all.next()) {
        r.series(all.at(), b, chunks);
        w.addSeries(b.build(), chunks);
      }
    }
    return out.toByteArray();
  }

  @Test
  void promtoolIndexPassesVerify() throws IOException {
    try (IndexReader r = IndexReader.open(index)) {
      IndexReader.VerifyReport report = r.verify();
      assertThat(report.series()).isEqualTo(6 * 2 * 3 + 4);
      assertThat(report.chunks()).as("long series span several chunks").isGreaterThan(report.series());
      assertThat(r.toc().hasLegacyLabelIndices()).isTrue();
      assertThat(r.symbol(0)).isEmpty();
      assertThat(r.labelValues("handler")).containsExactly("/", "/api/v1/query", "/metrics", "naïve",
          "\uFF21wide", "\uD83D\uDE00smile");
      assertThat(Postings.expand(r.postingsForMatchers(Matcher.regex("handler", ".*wide|.*smile"),
          Matcher.equal("method", "GET")))).hasSize(6);
    }
  }

  @Test
  void legacyLayoutRewriteIsByteIdentical() throws IOException {
    byte[] original = Files.readAllBytes(index);
    byte[] rewritten;
    try (IndexReader r = IndexReader.open(index)) {
      rewritten = rewrite(r, IndexWriter.Layout.LEGACY);
    }
    assertThat(original.length).isGreaterThan(1000);
    assertThat(firstDifference(original, rewritten)).as("first differing byte (-1 = identical)").isEqualTo(-1);
  }

  @Test
  void currentLayoutRewriteReadsBackTheSameContent() throws IOException {
    try (IndexReader original = IndexReader.open(index);
        IndexReader current = IndexReader.open(new dev.orrery.core.io.ByteArraySource("current",
            rewrite(original, IndexWriter.Layout.CURRENT)))) {
      assertThat(current.toc().hasLegacyLabelIndices()).isFalse();
      current.verify();
      assertThat(current.symbols()).isEqualTo(original.symbols());
      assertThat(current.labelNames()).isEqualTo(original.labelNames());
      List<Labels> a = new ArrayList<>();
      List<Labels> b = new ArrayList<>();
      List<ChunkMetas> ca = new ArrayList<>();
      List<ChunkMetas> cb = new ArrayList<>();
      for (IndexReader r : List.of(original, current)) {
        Postings all = r.allPostings();
        while (all.next()) {
          ChunkMetas c = new ChunkMetas();
          (r == original ? a : b).add(r.series(all.at(), c));
          (r == original ? ca : cb).add(c);
        }
      }
      assertThat(b).isEqualTo(a);
      assertThat(cb).isEqualTo(ca);
      for (String name : original.labelNames()) {
        for (String v : original.labelValues(name)) {
          assertThat(Postings.expand(current.postings(name, v)))
              .containsExactly(Postings.expand(original.postings(name, v)));
        }
      }
    }
  }

  @Test
  void prometheusReadsOurCurrentLayoutIndexLikeItsOwn() throws Exception {
    // Prometheus 2.42's reader on a copy of the block whose index we rewrote without the legacy sections.
    Path block = index.getParent();
    Path copyDb = dir.resolve("copy-db");
    Path copy = copyDb.resolve(block.getFileName());
    Files.createDirectories(copy.resolve("chunks"));
    for (String f : List.of("meta.json", "tombstones", "chunks/000001")) {
      Files.copy(block.resolve(f), copy.resolve(f));
    }
    try (IndexReader r = IndexReader.open(index)) {
      Files.write(copy.resolve("index"), rewrite(r, IndexWriter.Layout.CURRENT));
    }
    Path originalDb = block.getParent();
    Files.createDirectories(originalDb.resolve("wal")); // tsdb dump needs a WAL directory (harness README)
    Files.createDirectories(copyDb.resolve("wal"));
    String want = run(promtool.toString(), "tsdb", "dump", originalDb.toString());
    String got = run(promtool.toString(), "tsdb", "dump", copyDb.toString());
    assertThat(want).contains("http_requests_total");
    assertThat(got).isEqualTo(want);
    assertThat(run(promtool.toString(), "tsdb", "analyze", copyDb.toString())).contains("Label names:");
  }

  @Test
  void promtoolWritesTheEmptyTombstonesFileWeWrite() throws IOException {
    assertThat(Files.readAllBytes(tombstones)).isEqualTo(Tombstones.empty().encode());
    assertThat(Tombstones.read(tombstones).isEmpty()).isTrue();
  }

  /**
   * Every block of the harness' multi-cluster data set (or, for bigger data, every block under
   * {@code $ORRERY_INTEROP_BLOCKS}, e.g. the harness's {@code /var/tmp/promref/blocks}) must pass verify, and its index
   * and tombstones must be reproduced byte for byte.
   */
  @Test
  void harnessBlocksRewriteByteIdentical() throws Exception {
    String fromEnv = System.getenv("ORRERY_INTEROP_BLOCKS");
    String blocksDir = fromEnv != null ? fromEnv
        : dev.orrery.core.testing.HarnessDataSet.SMALL.promtoolBlocks().toString();
    List<Path> blocks;
    try (Stream<Path> s = Files.list(Path.of(blocksDir))) {
      blocks = s.filter(p -> Files.isRegularFile(p.resolve("index"))).sorted().toList();
    }
    assertThat(blocks).isNotEmpty();
    for (Path block : blocks) {
      Path idx = block.resolve("index");
      try (IndexReader r = IndexReader.open(idx)) {
        r.verify();
        assertThat(firstDifference(Files.readAllBytes(idx), rewrite(r, IndexWriter.Layout.LEGACY)))
            .as("first differing byte of %s", idx).isEqualTo(-1);
      }
      Path t = block.resolve("tombstones");
      if (Files.exists(t)) {
        assertThat(Tombstones.read(t).encode()).as("%s", t).isEqualTo(Files.readAllBytes(t));
      }
    }
  }

  static int firstDifference(byte[] a, byte[] b) {
    int n = Math.min(a.length, b.length);
    for (int i = 0; i < n; i++) {
      if (a[i] != b[i]) {
        return i;
      }
    }
    return a.length == b.length ? -1 : n;
  }
}
