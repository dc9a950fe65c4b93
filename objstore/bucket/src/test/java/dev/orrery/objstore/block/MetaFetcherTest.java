package dev.orrery.objstore.block;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orrery.core.block.BlockMeta;
import dev.orrery.core.block.Ulid;
import dev.orrery.core.labels.MatchType;
import dev.orrery.core.labels.Matcher;
import dev.orrery.objstore.Bucket;
import dev.orrery.objstore.ForwardingBucket;
import dev.orrery.objstore.InMemoryBucket;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetaFetcherTest {
  private static final Instant NOW = Instant.parse("2026-03-01T00:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  @TempDir
  Path cacheDir;

  private final InMemoryBucket store = new InMemoryBucket("mem", CLOCK);
  private final AtomicInteger metaReads = new AtomicInteger();
  private final Bucket counting = new ForwardingBucket(store) {
    @Override
    public InputStream get(String key) throws IOException {
      if (key.endsWith("/meta.json")) {
        metaReads.incrementAndGet();
      }
      return super.get(key);
    }
  };
  private final Random random = new Random(1);

  /** Puts a block's meta.json (and an index) into the store and returns its ULID. */
  private Ulid block(long ageMillis, long minTime, long maxTime, Map<String, String> labels, String source,
      List<Ulid> sources, long resolution) throws IOException {
    Ulid id = Ulid.generate(NOW.toEpochMilli() - ageMillis, random);
    List<Ulid> allSources = sources.isEmpty() ? List.of(id) : sources;
    BlockMeta meta = new BlockMeta(id, minTime, maxTime, BlockMeta.Stats.of(10, 1, 1),
        new BlockMeta.Compaction(sources.isEmpty() ? 1 : 2, allSources, false, List.of(), false, List.of()),
        BlockMeta.ThanosMeta.of(labels, resolution, source));
    store.upload(id + "/index", new byte[] {1});
    store.upload(id + "/meta.json", meta.toJson().getBytes(StandardCharsets.UTF_8));
    return id;
  }

  private Ulid block(long minTime, long maxTime, Map<String, String> labels) throws IOException {
    return block(Duration.ofHours(3).toMillis(), minTime, maxTime, labels, "sidecar", List.of(), 0);
  }

  @Test
  void readsEveryMetaOnceAndCachesOnDisk() throws IOException {
    Ulid a = block(0, 100, Map.of("cluster", "eu1"));
    Ulid b = block(100, 200, Map.of("cluster", "us1"));
    store.upload("debug/metas/" + a + ".json", new byte[] {1});
    store.upload("not-a-block/file", new byte[] {1});
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      MetaFetcher fetcher = MetaFetcher.builder(counting).executor(pool).concurrency(2).cacheDirectory(cacheDir)
          .build();
      assertThat(fetcher.fetch().metas().keySet()).containsExactly(a, b);
      assertThat(fetcher.fetch().metas().keySet()).containsExactly(a, b);
      assertThat(metaReads).hasValue(2);
      assertThat(cacheDir.resolve(a + "/meta.json")).exists();
      // A new process reads the disk cache instead of the bucket.
      MetaFetcher restarted = MetaFetcher.builder(counting).cacheDirectory(cacheDir).build();
      assertThat(restarted.fetch().metas()).hasSize(2);
      assertThat(metaReads).hasValue(2);
      // A deleted block disappears from the result and from the cache.
      new BlockBucket(store, CLOCK).delete(a);
      assertThat(restarted.fetch().metas().keySet()).containsExactly(b);
      assertThat(cacheDir.resolve(a.toString())).doesNotExist();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void partialUploadsAreReportedAndAbandonedOnesPickedAfterTheThreshold() throws IOException {
    Ulid complete = block(0, 100, Map.of("cluster", "eu1"));
    Ulid fresh = Ulid.generate(NOW.toEpochMilli() - Duration.ofHours(1).toMillis(), random);
    store.upload(fresh + "/chunks/000001", new byte[] {1});
    Ulid old = Ulid.generate(NOW.toEpochMilli() - Duration.ofDays(3).toMillis(), random);
    store.upload(old + "/chunks/000001", new byte[] {1});
    Ulid oldButMarked = Ulid.generate(NOW.toEpochMilli() - Duration.ofDays(3).toMillis(), random);
    store.upload(oldButMarked + "/index", new byte[] {1});
    store.upload(oldButMarked + "/deletion-mark.json", new byte[] {1});
    Clock later = Clock.fixed(NOW.plus(Duration.ofDays(3)), ZoneOffset.UTC);
    MetaFetcher fetcher = MetaFetcher.builder(store).clock(later).build();
    MetaFetcher.FetchResult result = fetcher.fetch();
    assertThat(result.metas().keySet()).containsExactly(complete);
    assertThat(result.partial()).containsExactlyInAnyOrder(fresh, old, oldButMarked);
    // The objects were written at NOW by the store's clock: three days later every one is past the two-day threshold
    // (by ULID time and by last-modified time), and the marked block is left to the deletion path.
    assertThat(fetcher.abortedPartialUploads(result, Duration.ofDays(2))).containsExactlyInAnyOrder(fresh, old);
    assertThat(MetaFetcher.builder(store).clock(CLOCK).build().abortedPartialUploads(result, Duration.ofDays(2)))
        .isEmpty();
  }

  @Test
  void corruptMetaIsAFailureNotABlock() throws IOException {
    Ulid id = Ulid.generate(NOW.toEpochMilli(), random);
    store.upload(id + "/meta.json", "{not json".getBytes(StandardCharsets.UTF_8));
    MetaFetcher.FetchResult result = MetaFetcher.builder(store).build().fetch();
    assertThat(result.metas()).isEmpty();
    assertThat(result.failed()).containsOnlyKeys(id);
  }

  @Test
  void filtersByTimeLabelsAgeAndDeletionMarks() throws IOException {
    Ulid inRange = block(1000, 2000, Map.of("cluster", "eu1", "environment", "prod"));
    Ulid before = block(0, 1000, Map.of("cluster", "eu1", "environment", "prod"));
    Ulid otherCluster = block(1000, 2000, Map.of("cluster", "us1", "environment", "prod"));
    Ulid tooFresh = block(Duration.ofMinutes(5).toMillis(), 1000, 2000, Map.of("cluster", "eu1",
        "environment", "prod"), "sidecar", List.of(), 0);
    Ulid freshCompacted = block(Duration.ofMinutes(5).toMillis(), 1000, 2000, Map.of("cluster", "eu1",
        "environment", "prod"), "compactor", List.of(Ulid.generate(0, random)), 0);
    Ulid markedLongAgo = block(1500, 2500, Map.of("cluster", "eu1", "environment", "staging"));
    Ulid markedJustNow = block(1500, 2500, Map.of("cluster", "eu1", "environment", "staging"));
    store.upload(BlockBucket.deletionMarkKey(markedLongAgo), new DeletionMark(markedLongAgo, "",
        NOW.minus(Duration.ofDays(3))).toJson());
    store.upload(BlockBucket.deletionMarkKey(markedJustNow), new DeletionMark(markedJustNow, "",
        NOW.minusSeconds(60)).toJson());

    MetaFetcher markReader = MetaFetcher.builder(store).build();
    DeletionMarkFilter deletionMarks = new DeletionMarkFilter(new BlockBucket(store, CLOCK), markReader,
        Duration.ofHours(24), CLOCK);
    MetaFetcher fetcher = MetaFetcher.builder(store)
        .filter(new TimeRangeFilter(1000, 3000))
        .filter(new ExternalLabelsFilter(List.of(Matcher.equal("cluster", "eu1"),
            Matcher.of(MatchType.REGEX, "environment", "prod|staging"))))
        .filter(new ConsistencyDelayFilter(Duration.ofMinutes(30), CLOCK))
        .filter(deletionMarks)
        .build();
    MetaFetcher.FetchResult result = fetcher.fetch();
    assertThat(result.metas().keySet()).containsExactlyInAnyOrder(inRange, freshCompacted, markedJustNow);
    assertThat(result.filtered()).containsEntry(before, "time-excluded")
        .containsEntry(otherCluster, "label-excluded")
        .containsEntry(tooFresh, "too-fresh")
        .containsEntry(markedLongAgo, "marked-for-deletion");
    assertThat(deletionMarks.deletionMarks()).containsOnlyKeys(markedLongAgo, markedJustNow);
  }

  @Test
  void duplicatesAfterCompactionAreRemovedPerResolution() throws IOException {
    Map<String, String> labels = Map.of("cluster", "eu1");
    Ulid a = block(0, 100, labels);
    Ulid b = block(100, 200, labels);
    Ulid c = block(200, 300, labels);
    Ulid compacted = block(Duration.ofHours(1).toMillis(), 0, 200, labels, "compactor", List.of(a, b), 0);
    Ulid downsampled = block(Duration.ofHours(1).toMillis(), 0, 200, labels, "compactor", List.of(a, b), 300_000);
    Ulid sameSourcesNewer = block(Duration.ofMinutes(59).toMillis(), 0, 200, labels, "compactor", List.of(a, b), 0);
    MetaFetcher.FetchResult result = MetaFetcher.builder(store).filter(new DeduplicateFilter()).build().fetch();
    assertThat(result.metas().keySet()).containsExactlyInAnyOrder(c, compacted, downsampled);
    assertThat(result.filtered()).containsOnlyKeys(a, b, sameSourcesNewer)
        .containsValue("duplicate");
  }
}
