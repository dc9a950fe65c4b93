package dev.orrery.examples.cli;

import static dev.orrery.examples.cli.BlockToolsCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orrery.core.block.BlockDirectory;
import dev.orrery.core.block.BlockMeta;
import dev.orrery.downsample.compact.BucketCompactor;
import dev.orrery.examples.cli.BlockToolsCommandTest.Result;
import dev.orrery.objstore.Bucket;
import dev.orrery.objstore.BucketProviders;
import dev.orrery.objstore.block.BlockBucket;
import dev.orrery.objstore.block.MetaFetcher;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code orrery compact} over a filesystem bucket holding twelve hours of the demo data set: six 2h blocks for each of
 * the 6 (cluster, replica) groups.
 */
class CompactCommandTest {
  /** 2024-01-01T00:00:00Z, on an 8h boundary. */
  private static final String START = "1704067200000";

  @TempDir
  Path dir;

  @Test
  void compactsEachGroupThenDeletesTheSourcesOnceTheDelayIsOver() throws Exception {
    String url = uploadDemo(12);
    String work = dir.resolve("work").toString();

    Result first = run("compact", "--objstore.url", url, "--data-dir", work, "--consistency-delay", "0s");

    assertThat(first.exit()).as(first.err()).isZero();
    // Per group the four oldest blocks fill the first 8h range; the two newest wait for their range to fill.
    assertThat(first.out()).contains("6 blocks compacted, 0 downsampled, 24 marked for deletion, 0 deleted");
    Collection<BlockMeta> metas = metas(url);
    assertThat(metas).hasSize(36 + 6);
    assertThat(metas.stream().filter(m -> m.compaction().level() == 2)).hasSize(6)
        .allSatisfy(m -> assertThat(m.compaction().sources()).hasSize(4));

    Result second = run("compact", "--objstore.url", url, "--data-dir", work, "--consistency-delay", "0s",
        "--delete-delay", "0s");

    assertThat(second.exit()).as(second.err()).isZero();
    assertThat(second.out()).contains("0 blocks compacted, 0 downsampled, 0 marked for deletion, 24 deleted");
    assertThat(metas(url)).hasSize(6 + 12);
  }

  @Test
  void replicaLabelsCompactEachPrometheusPairIntoDeduplicatedBlocks() throws Exception {
    String url = uploadDemo(12);

    Result r = run("compact", "--objstore.url", url, "--data-dir", dir.resolve("work").toString(),
        "--consistency-delay", "0s", "--deduplication.replica-label", "prometheus_replica", "--deduplication.func",
        "penalty");

    assertThat(r.exit()).as(r.err()).isZero();
    // Per cluster: the six 2h windows each merge their two replicas, then the four oldest merged windows fill 8h.
    assertThat(r.out()).contains("21 blocks compacted, 0 downsampled, 48 marked for deletion, 0 deleted");
    assertThat(metas(url).stream().filter(m -> m.compaction().level() == 3)).hasSize(3)
        .allSatisfy(m -> assertThat(m.thanos().labels()).doesNotContainKey("prometheus_replica")
            .containsKeys("cluster", "environment"))
        .allSatisfy(m -> assertThat(m.compaction().sources()).hasSize(8));
  }

  @Test
  void waitingRetriesAFailedPassAtTheNextIntervalAndCountsIt() throws Exception {
    Counter retries = Counter.builder().name("thanos_compact_retries_total").help("retries")
        .register(new PrometheusRegistry());
    AtomicInteger calls = new AtomicInteger();
    List<BucketCompactor.Report> printed = new ArrayList<>();
    StringWriter err = new StringWriter();
    assertThatThrownBy(() -> CompactCommand.runWaiting(() -> switch (calls.incrementAndGet()) {
      case 1 -> throw new IOException("bucket unreachable");
      case 2 -> new BucketCompactor.Report(1, 0, 4, 0, Map.of());
      default -> throw new InterruptedException("stop");
    }, printed::add, Duration.ofMillis(10), retries, new PrintWriter(err))).isInstanceOf(InterruptedException.class);
    assertThat(calls.get()).isEqualTo(3);
    assertThat(printed).singleElement().satisfies(r -> assertThat(r.compacted()).isEqualTo(1));
    assertThat(retries.get()).isEqualTo(1);
    assertThat(err.toString()).contains("compaction pass failed, retrying in PT0.01S: bucket unreachable");
  }

  @Test
  void retentionShorterThanDownsamplingNeedsIsAUsageError() {
    Result r = run("compact", "--objstore.url", dir.toUri().toString(), "--retention.resolution-raw", "1d");

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--retention.resolution-raw=1d is shorter than 40h").contains("Usage: orrery compact");
  }

  /** Writes {@code hours} of the demo data set from {@link #START} into a filesystem bucket; returns its URL. */
  private String uploadDemo(int hours) throws Exception {
    Path demo = dir.resolve("demo");
    Result write = run("tools", "block", "write-demo", demo.toString(), "--hours", String.valueOf(hours), "--start",
        START);
    assertThat(write.exit()).as(write.err()).isZero();
    String url = dir.resolve("bucket").toUri().toString();
    try (Bucket bucket = BucketProviders.installed().open(url)) {
      BlockBucket blocks = new BlockBucket(bucket, Clock.systemUTC());
      for (Path block : BlockDirectory.blockDirs(demo)) {
        blocks.upload(block);
      }
    }
    return url;
  }

  private static Collection<BlockMeta> metas(String url) throws Exception {
    try (Bucket bucket = BucketProviders.installed().open(url)) {
      return MetaFetcher.builder(bucket).build().fetch().metas().values();
    }
  }
}
