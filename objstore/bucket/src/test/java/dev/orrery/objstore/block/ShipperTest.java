package dev.orrery.objstore.block;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orrery.core.block.BlockDirectory;
import dev.orrery.core.block.BlockMeta;
import dev.orrery.core.block.Ulid;
import dev.orrery.core.testing.MetricsText;
import dev.orrery.objstore.InMemoryBucket;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShipperTest {
  @TempDir
  Path dataDir;

  private final InMemoryBucket bucket = new InMemoryBucket();
  private Shipper shipper() {
    return shipper(new PrometheusRegistry());
  }

  private Shipper shipper(PrometheusRegistry registry) {
    return Shipper.builder(dataDir, bucket)
        .externalLabels(Map.of("cluster", "eu1", "environment", "prod", "replica", "a"))
        .metrics(registry)
        .build();
  }

  @Test
  void shipsEachBlockOnceWithExternalLabelsAndRecordsState() throws IOException {
    BlockMeta first = TestBlocks.write(dataDir, 1_700_000_000_000L, 3, 100);
    PrometheusRegistry registry = new PrometheusRegistry();
    Shipper shipper = shipper(registry);
    assertThat(shipper.sync().uploaded()).containsExactly(first.ulid());
    BlockMeta second = TestBlocks.write(dataDir, 1_700_007_200_000L, 3, 100);
    Shipper.SyncResult result = shipper.sync();
    assertThat(result.uploaded()).containsExactly(second.ulid());
    assertThat(shipper.sync().uploaded()).isEmpty();

    BlockMeta remote = new BlockBucket(bucket, java.time.Clock.systemUTC()).readMeta(first.ulid());
    assertThat(remote.thanos().labels()).containsExactlyEntriesOf(new java.util.TreeMap<>(
        Map.of("cluster", "eu1", "environment", "prod", "replica", "a")));
    assertThat(remote.thanos().source()).isEqualTo("sidecar");
    assertThat(BlockMeta.read(dataDir.resolve(first.ulid().toString())).thanos())
        .as("the local meta.json stays as Prometheus wrote it").isNull();
    String state = Files.readString(dataDir.resolve(Shipper.STATE_FILE), StandardCharsets.UTF_8);
    String[] ids = {first.ulid().toString(), second.ulid().toString()};
    java.util.Arrays.sort(ids);
    assertThat(state).isEqualTo("{\n\t\"version\": 1,\n\t\"uploaded\": [\n\t\t\"" + ids[0] + "\",\n\t\t\"" + ids[1]
        + "\"\n\t]\n}\n");
    assertThat(dataDir.resolve(Shipper.UPLOAD_DIRECTORY)).isEmptyDirectory();
    String text = MetricsText.of(registry);
    assertThat(MetricsText.value(text, "thanos_shipper_dir_syncs_total")).isEqualTo(3);
    assertThat(MetricsText.value(text, "thanos_shipper_uploads_total")).isEqualTo(2);
    assertThat(MetricsText.value(text, "thanos_shipper_upload_failures_total")).isZero();
    assertThat(MetricsText.value(text, "thanos_shipper_dir_sync_failures_total")).isZero();
  }

  @Test
  void blocksStillBeingWrittenOrUnreadableAreLeftAlone() throws IOException {
    BlockMeta meta = TestBlocks.write(dataDir, 1_700_000_000_000L, 3, 100);
    Path complete = dataDir.resolve(meta.ulid().toString());
    Ulid other = Ulid.generate();
    Path inCreation = dataDir.resolve(other + ".tmp-for-creation");
    Files.createDirectories(inCreation.resolve("chunks"));
    Files.writeString(inCreation.resolve("index"), "partial");
    Path noMetaYet = Files.createDirectories(dataDir.resolve(Ulid.generate().toString()));
    Files.writeString(noMetaYet.resolve("index"), "partial");
    assertThat(shipper().sync().uploaded()).containsExactly(meta.ulid());
    assertThat(bucket.list("", dev.orrery.objstore.IterOptions.FLAT)).containsExactly(complete.getFileName() + "/");
  }

  @Test
  void compactedAndEmptyBlocksAreSkipped() throws IOException {
    BlockMeta meta = TestBlocks.write(dataDir, 1_700_000_000_000L, 3, 100);
    Path dir = dataDir.resolve(meta.ulid().toString());
    new BlockMeta(meta.ulid(), meta.minTimeMillis(), meta.maxTimeMillis(), meta.stats(),
        new BlockMeta.Compaction(2, meta.compaction().sources(), false, java.util.List.of(), false,
            java.util.List.of()), null).write(dir);
    assertThat(shipper().sync().uploaded()).isEmpty();
    Shipper compacted = Shipper.builder(dataDir, bucket).externalLabels(Map.of("cluster", "eu1"))
        .uploadCompacted(true).build();
    assertThat(compacted.sync().uploaded()).containsExactly(meta.ulid());
  }

  @Test
  void blockAlreadyInBucketIsRecordedWithoutUpload() throws IOException {
    BlockMeta meta = TestBlocks.write(dataDir, 1_700_000_000_000L, 3, 100);
    shipper().sync();
    Files.delete(dataDir.resolve(Shipper.STATE_FILE));
    Shipper.SyncResult result = shipper().sync();
    assertThat(result.uploaded()).isEmpty();
    assertThat(result.alreadyInBucket()).containsExactly(meta.ulid());
    assertThat(shipper().readState()).containsExactly(meta.ulid());
  }

  @Test
  void stateForgetsBlocksThatPrometheusDeleted() throws IOException {
    BlockMeta meta = TestBlocks.write(dataDir, 1_700_000_000_000L, 3, 100);
    Shipper shipper = shipper();
    shipper.sync();
    BlockDirectory.delete(dataDir.resolve(meta.ulid().toString()));
    shipper.sync();
    assertThat(shipper.readState()).isEmpty();
  }
}
