package dev.orrery.objstore.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orrery.core.block.BlockMeta;
import dev.orrery.core.block.Ulid;
import dev.orrery.objstore.Bucket;
import dev.orrery.objstore.FaultInjectingBucket;
import dev.orrery.objstore.ForwardingBucket;
import dev.orrery.objstore.InMemoryBucket;
import dev.orrery.objstore.IterOptions;
import dev.orrery.objstore.RetryingBucket;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 3, acceptance 2: the shipper and the meta fetcher over a bucket that fails and stalls a seeded random share of
 * calls. Every block ends up uploaded exactly once with byte-equal files, the fetcher never reports an incomplete
 * block, and a shipper killed mid-upload resumes correctly.
 */
class ShipperFaultInjectionTest {
  private static final Map<String, String> LABELS = Map.of("cluster", "eu1", "environment", "prod", "replica", "a");

  @TempDir
  Path dataDir;

  /** The real store, and how many times each block's meta.json reached it. */
  private final InMemoryBucket store = new InMemoryBucket();
  private final Map<String, AtomicInteger> metaUploads = new ConcurrentHashMap<>();
  private final Bucket counting = new ForwardingBucket(store) {
    @Override
    public void upload(String key, InputStream body, long length) throws IOException {
      super.upload(key, body, length);
      if (key.endsWith("/meta.json")) {
        metaUploads.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
      }
    }

    @Override
    public void upload(String key, byte[] content) throws IOException {
      upload(key, new java.io.ByteArrayInputStream(content), content.length);
    }

    @Override
    public void upload(String key, Path file) throws IOException {
      try (InputStream in = java.nio.file.Files.newInputStream(file)) {
        upload(key, in, java.nio.file.Files.size(file));
      }
    }
  };

  private List<BlockMeta> writeBlocks(int count) throws IOException {
    List<BlockMeta> metas = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      metas.add(TestBlocks.write(dataDir, 1_700_000_000_000L + i * 7_200_000L, 20 + i, 300));
    }
    return metas;
  }

  /** Every local block is in the store with byte-equal chunks and index, and its meta.json arrived exactly once. */
  private void assertShippedExactlyOnce(List<BlockMeta> metas) throws IOException {
    for (BlockMeta meta : metas) {
      Map<String, byte[]> local = TestBlocks.files(dataDir.resolve(meta.ulid().toString()));
      for (Map.Entry<String, byte[]> file : local.entrySet()) {
        if (file.getKey().equals("meta.json") || file.getKey().equals("tombstones")) {
          continue;
        }
        assertThat(store.readAllBytes(meta.ulid() + "/" + file.getKey())).as(meta.ulid() + "/" + file.getKey())
            .isEqualTo(file.getValue());
      }
      assertThat(metaUploads.get(meta.ulid() + "/meta.json")).as("meta.json uploads of " + meta.ulid())
          .hasValue(1);
      assertThat(new BlockBucket(store, Clock.systemUTC()).verify(meta.ulid())).isEmpty();
    }
    assertThat(store.list("", IterOptions.FLAT)).hasSize(metas.size());
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void shipperAndFetcherSurviveAnUnreliableStore(long seed) throws Exception {
    List<BlockMeta> metas = writeBlocks(6);
    FaultInjectingBucket faulty = FaultInjectingBucket.builder(counting).seed(seed).failureRate(0.25)
        .delays(0.2, Duration.ofMillis(3)).build();
    Shipper shipper = Shipper.builder(dataDir, faulty).externalLabels(LABELS).build();

    // A store gateway's fetcher polls the same unreliable bucket meanwhile: every block it reports must be whole.
    ExecutorService pool = Executors.newFixedThreadPool(4);
    AtomicBoolean done = new AtomicBoolean();
    List<Throwable> violations = new CopyOnWriteArrayList<>();
    AtomicInteger completeSightings = new AtomicInteger();
    Thread reader = Thread.ofPlatform().start(() -> {
      MetaFetcher fetcher = MetaFetcher.builder(RetryingBucket.builder(faulty).maxAttempts(10)
          .sleeper(d -> {}).build()).executor(pool).concurrency(4).build();
      while (!done.get()) {
        try {
          for (BlockMeta seen : fetcher.fetch().metas().values()) {
            completeSightings.incrementAndGet();
            for (BlockMeta.ThanosFile file : seen.thanos().files()) {
              if (!file.relPath().equals("meta.json")
                  && store.attributes(seen.ulid() + "/" + file.relPath()).sizeBytes() != file.sizeBytes()) {
                violations.add(new AssertionError("incomplete block visible: " + seen.ulid() + "/" + file.relPath()));
              }
            }
          }
        } catch (IOException e) {
          // The fetch itself may fail on injected faults; the next poll tries again.
        } catch (Throwable e) {
          violations.add(e);
        }
      }
    });
    try {
      for (int round = 0; round < 200 && shipper.readState().size() < metas.size(); round++) {
        shipper.sync();
      }
    } finally {
      done.set(true);
      reader.join();
      pool.shutdownNow();
    }
    assertThat(violations).isEmpty();
    assertThat(shipper.readState()).hasSize(metas.size());
    assertThat(faulty.injectedTotal()).isPositive();
    faulty.enabled(false);
    assertShippedExactlyOnce(metas);
    MetaFetcher.FetchResult result = MetaFetcher.builder(faulty).build().fetch();
    assertThat(result.metas().keySet()).containsExactlyElementsOf(metas.stream().map(BlockMeta::ulid).sorted()
        .toList());
    assertThat(result.partial()).isEmpty();
  }

  @Test
  void shipperKilledMidUploadResumes() throws Exception {
    List<BlockMeta> metas = writeBlocks(4);
    // Each block is 3 uploads (chunk segment, index, meta.json): crash in the middle of the second block, after its
    // chunks went up but before its index and meta.json.
    FaultInjectingBucket crashing = FaultInjectingBucket.builder(counting).crashAfterUploads(4).build();
    Shipper first = Shipper.builder(dataDir, crashing).externalLabels(LABELS).build();
    assertThatThrownBy(first::sync).isInstanceOf(FaultInjectingBucket.SimulatedCrash.class);
    assertThat(first.readState()).containsExactly(metas.get(0).ulid());
    Ulid interrupted = metas.get(1).ulid();
    assertThat(store.exists(interrupted + "/chunks/000001")).isTrue();
    assertThat(store.exists(interrupted + "/meta.json")).isFalse();
    assertThat(MetaFetcher.builder(store).build().fetch().partial()).containsExactly(interrupted);
    // A real kill skips every finally block and leaves the staging directory behind, half written.
    Path staged = java.nio.file.Files.createDirectories(dataDir.resolve(Shipper.UPLOAD_DIRECTORY)
        .resolve(interrupted.toString()).resolve("chunks"));
    java.nio.file.Files.writeString(staged.resolve("000001"), "half a segment");

    // The process restarts: a new shipper over the same data directory and bucket.
    Shipper restarted = Shipper.builder(dataDir, counting).externalLabels(LABELS).build();
    Shipper.SyncResult result = restarted.sync();
    assertThat(result.uploaded()).containsExactly(metas.get(1).ulid(), metas.get(2).ulid(), metas.get(3).ulid());
    assertThat(result.failed()).isEmpty();
    assertShippedExactlyOnce(metas);
    assertThat(dataDir.resolve(Shipper.UPLOAD_DIRECTORY)).isEmptyDirectory();
    assertThat(restarted.sync().uploaded()).isEmpty();
  }

  @Test
  void crashAfterMetaUploadBeforeStateIsRecordedDoesNotUploadTwice() throws Exception {
    List<BlockMeta> metas = writeBlocks(2);
    // The third upload is the first block's meta.json; the crash comes with the fourth, before the state is written
    // for block two but after block one was recorded. Then crash right after block two's meta.json: 6 uploads.
    FaultInjectingBucket crashing = FaultInjectingBucket.builder(counting).crashAfterUploads(6).build();
    Shipper first = Shipper.builder(dataDir, crashing).externalLabels(LABELS).build();
    first.sync();
    // Simulate losing the state file write of the last block (killed between meta.json and the state update).
    java.nio.file.Files.writeString(dataDir.resolve(Shipper.STATE_FILE),
        "{\n\t\"version\": 1,\n\t\"uploaded\": [\n\t\t\"" + metas.get(0).ulid() + "\"\n\t]\n}\n");
    Shipper.SyncResult result = Shipper.builder(dataDir, counting).externalLabels(LABELS).build().sync();
    assertThat(result.uploaded()).isEmpty();
    assertThat(result.alreadyInBucket()).containsExactly(metas.get(1).ulid());
    assertShippedExactlyOnce(metas);
  }
}
