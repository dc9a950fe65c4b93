package dev.orrery.examples.cli;

import static dev.orrery.examples.cli.BlockToolsCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orrery.core.block.BlockDirectory;
import dev.orrery.core.block.BlockMeta;
import dev.orrery.core.block.Ulid;
import dev.orrery.examples.cli.BlockToolsCommandTest.Result;
import dev.orrery.objstore.Bucket;
import dev.orrery.objstore.BucketProviders;
import dev.orrery.objstore.block.BlockBucket;
import dev.orrery.objstore.block.DeletionMark;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code orrery tools bucket ...} against a filesystem bucket holding the demo data set, uploaded through the
 * library as a sidecar would: 3 clusters x 2 replicas x two 2h-aligned windows = 12 blocks.
 */
class BucketToolsCommandTest {
  /** 2024-01-01T00:00:00Z. */
  private static final String START = "1704067200000";
  private static final List<String> THANOS_COLUMNS = List.of("ULID", "FROM", "UNTIL", "RANGE", "UNTIL-DOWN",
      "#SERIES", "#SAMPLES", "#CHUNKS", "COMP-LEVEL", "COMP-FAILED", "LABELS", "RESOLUTION", "SOURCE");

  @TempDir
  static Path demo;
  static Map<Ulid, BlockMeta> demoBlocks = new TreeMap<>();

  @TempDir
  Path dir;
  Path bucketDir;
  String url;

  @BeforeAll
  static void writeDemoDataSet() throws IOException {
    Result write = run("tools", "block", "write-demo", demo.toString(), "--hours", "3", "--start", START);
    assertThat(write.exit()).as(write.err()).isZero();
    for (Path block : BlockDirectory.blockDirs(demo)) {
      BlockMeta meta = BlockMeta.read(block);
      demoBlocks.put(meta.ulid(), meta);
    }
    assertThat(demoBlocks).hasSize(12);
  }

  @BeforeEach
  void uploadToBucket() throws IOException {
    bucketDir = dir.resolve("bucket");
    url = bucketDir.toUri().toString();
    try (Bucket bucket = BucketProviders.installed().open(url)) {
      BlockBucket blocks = new BlockBucket(bucket, Clock.fixed(Instant.parse("2024-01-02T00:00:00Z"),
          ZoneOffset.UTC));
      for (Path block : BlockDirectory.blockDirs(demo)) {
        blocks.upload(block);
      }
    }
  }

  private List<String> ulids() {
    return demoBlocks.keySet().stream().map(Ulid::toString).toList();
  }

  @Test
  void lsListsEveryBlockAsUlidWideOrJson() throws IOException {
    Result ls = run("tools", "bucket", "ls", "--objstore.url=" + url);
    assertThat(ls.exit()).as(ls.err()).isZero();
    assertThat(ls.out().lines().toList()).containsExactlyElementsOf(ulids());

    Result wide = run("tools", "bucket", "ls", "--objstore.url", url, "-o", "wide");
    assertThat(wide.exit()).as(wide.err()).isZero();
    assertThat(wide.out().lines().toList()).hasSize(12).allSatisfy(line -> assertThat(line)
        .matches("[0-9A-Z]{26} -- 2024-01-01 0[02]:00 - 2024-01-01 0[0-3]:\\d\\d Diff: \\d\\S*, Compaction: 1, "
            + "Downsample: 0, Source: sidecar"));

    Result json = run("tools", "bucket", "ls", "--objstore.url", url, "--output=json");
    assertThat(json.exit()).as(json.err()).isZero();
    List<String> parsed = new ArrayList<>();
    try (var metas = new ObjectMapper().readerFor(JsonNode.class).<JsonNode>readValues(json.out())) {
      while (metas.hasNext()) {
        JsonNode meta = metas.next();
        parsed.add(meta.get("ulid").asText());
        assertThat(meta.at("/thanos/labels/cluster").asText()).isNotEmpty();
        assertThat(meta.at("/thanos/files")).isNotEmpty();
      }
    }
    assertThat(parsed).containsExactlyElementsOf(ulids());

    Result bad = run("tools", "bucket", "ls", "--objstore.url", url, "-o", "yaml");
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err()).contains("--output: unknown format 'yaml'");
  }

  @Test
  void inspectPrintsThanosColumnsOneRowPerBlock() {
    Result inspect = run("tools", "bucket", "inspect", "--objstore.url", url);
    assertThat(inspect.exit()).as(inspect.err()).isZero();
    List<String> lines = inspect.out().lines().toList();
    assertThat(cells(lines.get(0))).containsExactlyElementsOf(THANOS_COLUMNS);
    assertThat(lines.get(1)).matches("\\|(-+\\|)+");
    assertThat(lines).hasSize(2 + 12);
    assertThat(lines).allSatisfy(line -> assertThat(line).hasSameSizeAs(lines.get(0)));

    List<List<String>> rows = lines.subList(2, lines.size()).stream().map(BucketToolsCommandTest::cells).toList();
    for (List<String> row : rows) {
      BlockMeta meta = demoBlocks.get(Ulid.parse(row.get(0)));
      assertThat(meta).as(row.get(0)).isNotNull();
      long range = meta.maxTimeMillis() - meta.minTimeMillis();
      assertThat(row.get(3)).isEqualTo(BlockTable.duration(range));
      assertThat(row.get(4)).isEqualTo(BlockTable.duration(40 * 3_600_000L - range));
      assertThat(row.get(5)).isEqualTo(String.format(Locale.ROOT, "%,d", meta.stats().numSeries()));
      assertThat(row.get(6)).isEqualTo(String.format(Locale.ROOT, "%,d", meta.stats().numSamples())).contains(",");
      assertThat(row.get(7)).isEqualTo(String.format(Locale.ROOT, "%,d", meta.stats().numChunks()));
      assertThat(row.subList(8, 10)).containsExactly("1", "false");
      assertThat(row.get(10)).matches("cluster=[a-z0-9-]+,environment=(production|staging),"
          + "prometheus_replica=prometheus-[01]");
      assertThat(row.get(11)).isEqualTo("0s");
    }
    // Default order: FROM, then UNTIL, then ULID.
    List<String> from = rows.stream().map(row -> row.get(1)).toList();
    assertThat(from).isSorted();
    assertThat(from.get(0)).startsWith("2024-01-01 00:00:");
    assertThat(from.get(11)).startsWith("2024-01-01 02:00:");
  }

  @Test
  void inspectSelectsByExternalLabelsAndSortsByAnyColumn() {
    Result eu = run("tools", "bucket", "inspect", "--objstore.url", url, "-l", "cluster=\"eu-west-1\"");
    assertThat(eu.exit()).as(eu.err()).isZero();
    List<List<String>> rows = dataRows(eu.out());
    assertThat(rows).hasSize(4).allSatisfy(row -> assertThat(row.get(10)).startsWith("cluster=eu-west-1,"));

    Result production = run("tools", "bucket", "inspect", "--objstore.url", url, "--selector",
        "environment=~\"prod.*\"", "--selector", "prometheus_replica!=\"prometheus-1\"", "--sort-by", "LABELS,FROM");
    assertThat(production.exit()).as(production.err()).isZero();
    List<String> labels = dataRows(production.out()).stream().map(row -> row.get(10)).toList();
    assertThat(labels).hasSize(4).isSorted().allSatisfy(l -> assertThat(l).contains("environment=production")
        .endsWith("prometheus_replica=prometheus-0"));

    Result bySamples = run("tools", "bucket", "inspect", "--objstore.url", url, "--sort-by=#samples", "-o", "tsv");
    assertThat(bySamples.exit()).as(bySamples.err()).isZero();
    List<String> tsv = bySamples.out().lines().toList();
    assertThat(tsv.get(0).split("\t")).containsExactlyElementsOf(THANOS_COLUMNS);
    List<Long> samples = tsv.subList(1, tsv.size()).stream()
        .map(line -> Long.parseLong(line.split("\t")[6].replace(",", ""))).toList();
    assertThat(samples).hasSize(12).isSorted();

    Result badSelector = run("tools", "bucket", "inspect", "--objstore.url", url, "-l", "cluster=");
    assertThat(badSelector.exit()).isEqualTo(2);
    assertThat(badSelector.err()).contains("--selector cluster=");
    Result badColumn = run("tools", "bucket", "inspect", "--objstore.url", url, "--sort-by", "SIZE");
    assertThat(badColumn.exit()).isEqualTo(2);
    assertThat(badColumn.err()).contains("unknown column 'SIZE'").contains("UNTIL-DOWN");
  }

  @Test
  void thanosConfigFileAndInlineConfigOpenTheSameBucket() throws IOException {
    String yaml = "type: FILESYSTEM\nconfig:\n  directory: " + bucketDir + "\n";
    Path config = Files.writeString(dir.resolve("objstore.yml"), yaml);
    Result fromFile = run("tools", "bucket", "ls", "--objstore.config-file", config.toString());
    assertThat(fromFile.exit()).as(fromFile.err()).isZero();
    assertThat(fromFile.out().lines().toList()).containsExactlyElementsOf(ulids());

    Result inline = run("tools", "bucket", "ls", "--objstore.config", yaml);
    assertThat(inline.exit()).as(inline.err()).isZero();
    assertThat(inline.out()).isEqualTo(fromFile.out());
  }

  @Test
  void verifyChecksEveryBlockInTheBucket() {
    Result verify = run("tools", "bucket", "verify", "--objstore.url", url);
    assertThat(verify.exit()).as(verify.err()).isZero();
    assertThat(verify.err()).isEmpty();
    List<String> lines = verify.out().lines().toList();
    assertThat(lines.subList(0, 12)).allSatisfy(line -> assertThat(line)
        .matches("[0-9A-Z]{26}: OK \\(\\d+ series, \\d+ chunks, \\d+ samples\\)"));
    assertThat(lines.get(12)).isEqualTo("12 blocks checked, 0 with problems");

    String one = ulids().get(3);
    Result single = run("tools", "bucket", "verify", "--objstore.url", url, "--id", one);
    assertThat(single.exit()).as(single.err()).isZero();
    assertThat(single.out()).startsWith(one + ": OK").contains("1 block checked, 0 with problems");
  }

  @Test
  void verifyNamesEveryDamagedBlockAndExitsOne() throws IOException {
    List<String> ids = ulids();
    // A flipped bit in a chunk segment: the size is right, only the CRC can tell.
    Path segment = bucketDir.resolve(ids.get(0)).resolve("chunks/000001");
    byte[] bytes = Files.readAllBytes(segment);
    bytes[bytes.length / 2] ^= 0x10;
    Files.write(segment, bytes);
    // A truncated index: thanos.files gives it away without a download.
    Path index = bucketDir.resolve(ids.get(1)).resolve("index");
    Files.write(index, Arrays.copyOf(Files.readAllBytes(index), 100));
    // A meta.json that does not parse.
    Files.writeString(bucketDir.resolve(ids.get(2)).resolve("meta.json"), "{\"ulid\": ");

    Result verify = run("tools", "bucket", "verify", "--objstore.url", url);
    assertThat(verify.exit()).isEqualTo(1);
    assertThat(verify.err().lines().filter(line -> line.startsWith("orrery: block " + ids.get(0) + ": ")))
        .isNotEmpty().anySatisfy(line -> assertThat(line).contains("000001"));
    assertThat(verify.err()).contains("orrery: block " + ids.get(1) + ": index: size mismatch: expected ")
        .contains("actual 100");
    assertThat(verify.err()).contains("orrery: block " + ids.get(2) + ": cannot read meta.json");
    assertThat(verify.out()).contains("12 blocks checked, 3 with problems");
    assertThat(verify.out().lines().filter(line -> line.endsWith(")") && line.contains(": OK ("))).hasSize(9);

    Result healthy = run("tools", "bucket", "verify", "--objstore.url", url, "--id", ids.get(5));
    assertThat(healthy.exit()).as(healthy.err()).isZero();
  }

  @Test
  void markDeletionWritesThanosDeletionMark() throws IOException {
    String id = ulids().get(4);
    Instant before = Instant.now().minusSeconds(1);
    Result mark = run("tools", "bucket", "mark-deletion", "--objstore.url", url, "--id", id, "--details",
        "replaced by a re-upload");
    assertThat(mark.exit()).as(mark.err()).isZero();
    assertThat(mark.out()).isEqualTo(id + ": marked for deletion" + System.lineSeparator());

    Path markFile = bucketDir.resolve(id).resolve("deletion-mark.json");
    String json = Files.readString(markFile, StandardCharsets.UTF_8);
    assertThat(json).startsWith("{\"id\":\"" + id + "\",\"version\":1,\"details\":\"replaced by a re-upload\","
        + "\"deletion_time\":");
    DeletionMark parsed = DeletionMark.parse(json.getBytes(StandardCharsets.UTF_8), markFile.toString());
    assertThat(parsed.deletionTime()).isBetween(before, Instant.now().plusSeconds(1));

    Result again = run("tools", "bucket", "mark-deletion", "--objstore.url", url, "--id", id, "--details", "x");
    assertThat(again.exit()).isZero();
    assertThat(again.out()).contains(id + ": already marked for deletion");
    assertThat(Files.readString(markFile, StandardCharsets.UTF_8)).isEqualTo(json);

    assertThat(run("tools", "bucket", "ls", "--objstore.url", url).out().lines()).hasSize(12).contains(id);
    Result kept = run("tools", "bucket", "ls", "--objstore.url", url, "--exclude-delete");
    assertThat(kept.exit()).as(kept.err()).isZero();
    assertThat(kept.out().lines()).hasSize(11).doesNotContain(id);
  }

  @Test
  void markDeletionOfAnUnknownBlockMarksNothing() {
    String known = ulids().get(0);
    String unknown = Ulid.generate().toString();
    Result r = run("tools", "bucket", "mark-deletion", "--objstore.url", url, "--id", known, "--id", unknown,
        "--details", "test");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("orrery: block " + unknown + ": not in the bucket " + bucketDir
        + " (no meta.json); nothing marked" + System.lineSeparator());
    assertThat(bucketDir.resolve(known).resolve("deletion-mark.json")).doesNotExist();

    Result badId = run("tools", "bucket", "mark-deletion", "--objstore.url", url, "--id", "not-a-ulid",
        "--details", "test");
    assertThat(badId.exit()).isEqualTo(2);
    assertThat(badId.err()).contains("--id: not a ULID: 'not-a-ulid'");
    Result noDetails = run("tools", "bucket", "mark-deletion", "--objstore.url", url, "--id", known);
    assertThat(noDetails.exit()).isEqualTo(2);
    assertThat(noDetails.err()).contains("--details");
  }

  @Test
  void badConfigurationGivesOneLineNamingTheSettingAndExitTwo() throws IOException {
    assertOneLineUsageError(run("tools", "bucket", "ls", "--objstore.url", "ftp://example/bucket"),
        "bucket URL ftp://example/bucket: scheme: unknown scheme 'ftp'");
    assertOneLineUsageError(run("tools", "bucket", "ls", "--objstore.url", "file://relative/dir"),
        "directory: must be an absolute path");

    Path noDirectory = Files.writeString(dir.resolve("fs.yml"), "type: FILESYSTEM\nconfig: {}\n");
    assertOneLineUsageError(run("tools", "bucket", "inspect", "--objstore.config-file", noDirectory.toString()),
        noDirectory + ": config.directory: missing");
    Path noBucket = Files.writeString(dir.resolve("s3.yml"), "type: S3\nconfig:\n  endpoint: 127.0.0.1:1\n");
    assertOneLineUsageError(run("tools", "bucket", "verify", "--objstore.config-file", noBucket.toString()),
        noBucket + ": config.bucket: missing");
    Path unknownType = Files.writeString(dir.resolve("azure.yml"), "type: AZURE\nconfig:\n  container: x\n");
    assertOneLineUsageError(run("tools", "bucket", "ls", "--objstore.config-file", unknownType.toString()),
        unknownType + ": type: unsupported type 'AZURE'");
    assertOneLineUsageError(run("tools", "bucket", "ls", "--objstore.config-file", dir.resolve("none.yml")
        .toString()), dir.resolve("none.yml") + ": file: cannot be read");
    assertOneLineUsageError(run("tools", "bucket", "ls", "--objstore.config", "type: [S3"), "--objstore.config: ");

    Result none = run("tools", "bucket", "ls");
    assertThat(none.exit()).isEqualTo(2);
    assertThat(none.err()).contains("--objstore.config-file").contains("--objstore.url");
    Result both = run("tools", "bucket", "ls", "--objstore.url", url, "--objstore.config-file",
        noDirectory.toString());
    assertThat(both.exit()).isEqualTo(2);
    assertThat(both.err()).contains("mutually exclusive");
  }

  private static void assertOneLineUsageError(Result result, String expected) {
    assertThat(result.exit()).as(result.err()).isEqualTo(2);
    assertThat(result.out()).isEmpty();
    assertThat(result.err().lines().toList()).singleElement().asString().startsWith("orrery: ").contains(expected);
  }

  private static List<List<String>> dataRows(String table) {
    List<String> lines = table.lines().toList();
    assertThat(cells(lines.get(0))).containsExactlyElementsOf(THANOS_COLUMNS);
    return lines.subList(2, lines.size()).stream().map(BucketToolsCommandTest::cells).toList();
  }

  /** The cells of a bordered table line. */
  private static List<String> cells(String line) {
    assertThat(line).startsWith("| ").endsWith(" |");
    return Arrays.stream(line.substring(1, line.length() - 1).split("\\|")).map(String::strip).toList();
  }
}
