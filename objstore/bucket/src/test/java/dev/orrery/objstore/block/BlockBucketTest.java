package dev.orrery.objstore.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orrery.core.block.BlockMeta;
import dev.orrery.core.block.Ulid;
import dev.orrery.objstore.Bucket;
import dev.orrery.objstore.ForwardingBucket;
import dev.orrery.objstore.InMemoryBucket;
import dev.orrery.objstore.IterOptions;
import dev.orrery.objstore.ObjectNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlockBucketTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05.123456789Z"), ZoneOffset.UTC);

  @TempDir
  Path dataDir;

  private final InMemoryBucket store = new InMemoryBucket();
  private final List<String> operations = new ArrayList<>();
  private final Bucket recording = new ForwardingBucket(store) {
    @Override
    public void upload(String key, Path file) throws IOException {
      operations.add("upload " + key);
      super.upload(key, file);
    }

    @Override
    public void upload(String key, byte[] content) throws IOException {
      operations.add("upload " + key);
      super.upload(key, content);
    }

    @Override
    public void upload(String key, InputStream body, long length) throws IOException {
      operations.add("upload " + key);
      super.upload(key, body, length);
    }

    @Override
    public void delete(String key) throws IOException {
      operations.add("delete " + key);
      super.delete(key);
    }
  };
  private final BlockBucket blocks = new BlockBucket(recording, CLOCK);

  private Path labelledBlock() throws IOException {
    BlockMeta meta = TestBlocks.write(dataDir, 1_700_000_000_000L, 30, 500);
    Path dir = dataDir.resolve(meta.ulid().toString());
    meta.withThanos(BlockMeta.ThanosMeta.of(Map.of("cluster", "eu1", "replica", "a"), 0, "sidecar")).write(dir);
    return dir;
  }

  @Test
  void uploadGoesChunksThenIndexThenMetaWithThanosSection() throws IOException {
    Path dir = labelledBlock();
    Ulid id = Ulid.parse(dir.getFileName().toString());
    BlockMeta uploaded = blocks.upload(dir);
    assertThat(operations).containsExactly("upload " + id + "/chunks/000001", "upload " + id + "/index",
        "upload " + id + "/meta.json");
    assertThat(store.exists(id + "/tombstones")).isFalse();
    BlockMeta remote = blocks.readMeta(id);
    assertThat(remote).isEqualTo(uploaded);
    assertThat(remote.thanos().labels()).containsEntry("cluster", "eu1").containsEntry("replica", "a");
    assertThat(remote.thanos().source()).isEqualTo("sidecar");
    assertThat(remote.thanos().downsampleResolutionMillis()).isZero();
    assertThat(remote.thanos().segmentFiles()).containsExactly("000001");
    assertThat(remote.thanos().uploadTime()).isEqualTo("2026-01-02T03:04:05.123456Z");
    assertThat(remote.thanos().files()).extracting(BlockMeta.ThanosFile::relPath)
        .containsExactly("chunks/000001", "index", "meta.json");
    assertThat(remote.thanos().files().get(1).sizeBytes()).isEqualTo(Files.size(dir.resolve("index")));
    assertThat(blocks.verify(id)).isEmpty();
  }

  @Test
  void blockWithoutMetaOrExternalLabelsIsRefused() throws IOException {
    BlockMeta plain = TestBlocks.write(dataDir, 1_700_000_000_000L, 2, 10);
    Path dir = dataDir.resolve(plain.ulid().toString());
    assertThatThrownBy(() -> blocks.upload(dir)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("empty external labels");
    plain.withThanos(BlockMeta.ThanosMeta.of(Map.of(), 0, "sidecar")).write(dir);
    assertThatThrownBy(() -> blocks.upload(dir)).isInstanceOf(IllegalArgumentException.class);
    Files.delete(dir.resolve("meta.json"));
    assertThatThrownBy(() -> blocks.upload(dir)).isInstanceOf(java.nio.file.NoSuchFileException.class);
    assertThat(store.size()).isZero();
  }

  @Test
  void downloadIsByteEqualAndVerifyFindsDamage() throws IOException {
    Path dir = labelledBlock();
    Ulid id = Ulid.parse(dir.getFileName().toString());
    blocks.upload(dir);
    Path target = Files.createDirectories(dataDir.resolve("download"));
    Path downloaded = blocks.download(id, target);
    Map<String, byte[]> expected = TestBlocks.files(dir);
    expected.remove("tombstones");
    expected.remove("meta.json");
    Map<String, byte[]> actual = TestBlocks.files(downloaded);
    assertThat(actual.keySet()).containsExactlyInAnyOrder("chunks/000001", "index", "meta.json");
    for (Map.Entry<String, byte[]> file : expected.entrySet()) {
      assertThat(actual.get(file.getKey())).as(file.getKey()).isEqualTo(file.getValue());
    }
    assertThat(BlockMeta.read(downloaded)).isEqualTo(blocks.readMeta(id));

    store.upload(id + "/index", new byte[10]);
    assertThat(blocks.verify(id)).singleElement().asString().contains("index: size mismatch");
    store.delete(id + "/chunks/000001");
    assertThat(blocks.verify(id)).anyMatch(problem -> problem.contains("chunks/000001: missing"));
  }

  @Test
  void deleteRemovesMetaFirstAndDeletionMarkLast() throws IOException {
    Path dir = labelledBlock();
    Ulid id = Ulid.parse(dir.getFileName().toString());
    blocks.upload(dir);
    assertThat(blocks.markForDeletion(id, "compacted")).isTrue();
    assertThat(blocks.markForDeletion(id, "again")).isFalse();
    operations.clear();
    blocks.delete(id);
    assertThat(operations.getFirst()).isEqualTo("delete " + id + "/meta.json");
    assertThat(operations.getLast()).isEqualTo("delete " + id + "/deletion-mark.json");
    assertThat(store.list("", IterOptions.RECURSIVE)).isEmpty();
  }

  @Test
  void markersUseThanosKeys() throws IOException {
    Path dir = labelledBlock();
    Ulid id = Ulid.parse(dir.getFileName().toString());
    assertThatThrownBy(() -> blocks.markForDeletion(id, "x")).isInstanceOf(ObjectNotFoundException.class);
    blocks.upload(dir);
    blocks.markForDeletion(id, "block exceeding retention of 720h0m0s");
    blocks.markNoCompact(id, NoCompactMark.MANUAL, "");
    assertThat(new String(store.readAllBytes(id + "/deletion-mark.json"), StandardCharsets.UTF_8))
        .isEqualTo("{\"id\":\"" + id + "\",\"version\":1,\"details\":\"block exceeding retention of 720h0m0s\","
            + "\"deletion_time\":1767323045}");
    assertThat(new String(store.readAllBytes(id + "/no-compact-mark.json"), StandardCharsets.UTF_8))
        .isEqualTo("{\"id\":\"" + id + "\",\"version\":1,\"no_compact_time\":1767323045,\"reason\":\"manual\"}");
    assertThat(blocks.deletionMark(id).deletionTime()).isEqualTo(Instant.ofEpochSecond(1767323045));
    assertThat(blocks.noCompactMark(id).reason()).isEqualTo("manual");
    DeletionMark parsed = DeletionMark.parse(
        "{\"id\":\"01DRBP4RNVZ94135ZA6B10EMRR\",\"version\":1,\"details\":\"compacted\",\"deletion_time\":1700000000}"
            .getBytes(StandardCharsets.UTF_8), "mark");
    assertThat(parsed.details()).isEqualTo("compacted");
    assertThatThrownBy(() -> DeletionMark.parse("{\"id\":\"01DRBP4RNVZ94135ZA6B10EMRR\",\"version\":2}"
        .getBytes(StandardCharsets.UTF_8), "mark")).hasMessageContaining("unsupported marker version");
  }
}
