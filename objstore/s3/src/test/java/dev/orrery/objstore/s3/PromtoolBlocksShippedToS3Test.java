package dev.orrery.objstore.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orrery.core.block.BlockSet;
import dev.orrery.core.chunk.SampleIterator;
import dev.orrery.core.chunk.ValueType;
import dev.orrery.core.labels.Labels;
import dev.orrery.core.labels.Matcher;
import dev.orrery.core.storage.Querier;
import dev.orrery.core.storage.Series;
import dev.orrery.core.storage.SeriesSet;
import dev.orrery.core.testing.HarnessDataSet;
import dev.orrery.core.testing.OpenMetricsSamples;
import dev.orrery.core.block.Ulid;
import dev.orrery.objstore.block.BlockBucket;
import dev.orrery.objstore.block.MetaFetcher;
import dev.orrery.objstore.block.Shipper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 3, acceptance 3: blocks made by real {@code promtool tsdb create-blocks-from openmetrics} are shipped to an
 * S3Proxy bucket, fetched back, and read by core with every sample equal to the input.
 */
@Tag("interop")
class PromtoolBlocksShippedToS3Test {
  @TempDir
  Path work;

  @Test
  void shippedPromtoolBlocksReadBackSampleForSample() throws Exception {
    Path promtoolBlocks = HarnessDataSet.SMALL.promtoolBlocks();
    Map<Labels, OpenMetricsSamples.SampleList> expected = OpenMetricsSamples.parse(HarnessDataSet.SMALL.openMetrics());
    // Ship from a copy: the shipper writes its state file and staging directory into the data directory.
    Path dataDir = Files.createDirectories(work.resolve("prometheus"));
    try (Stream<Path> walk = Files.walk(promtoolBlocks)) {
      for (Path source : walk.toList()) {
        Path target = dataDir.resolve(promtoolBlocks.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target);
        }
      }
    }
    try (S3ProxyServer server = S3ProxyServer.start();
        S3Bucket bucket = S3Bucket.open(S3Config.from(server.settings(server.createBucket(), Map.of())))) {
      Shipper.SyncResult shipped = Shipper.builder(dataDir, bucket)
          .externalLabels(Map.of("cluster", "eu1", "environment", "prod", "replica", "a")).build().sync();
      assertThat(shipped.failed()).isEmpty();
      assertThat(shipped.uploaded()).hasSizeGreaterThanOrEqualTo(2);

      MetaFetcher.FetchResult fetched = MetaFetcher.builder(bucket).build().fetch();
      assertThat(fetched.metas().keySet()).containsExactlyInAnyOrderElementsOf(shipped.uploaded());
      Path downloaded = Files.createDirectories(work.resolve("downloaded"));
      BlockBucket blocks = new BlockBucket(bucket, Clock.systemUTC());
      for (Ulid id : fetched.metas().keySet()) {
        assertThat(blocks.verify(id)).isEmpty();
        blocks.download(id, downloaded);
      }

      try (BlockSet set = BlockSet.open(downloaded);
          Querier querier = set.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
        SeriesSet series = querier.select(true, null, Matcher.regex("__name__", ".+"));
        long samples = 0;
        int seriesCount = 0;
        SampleIterator it = null;
        while (series.next()) {
          Series s = series.at();
          OpenMetricsSamples.SampleList want = expected.get(s.labels());
          assertThat(want).as("series %s in the input", s.labels()).isNotNull();
          it = s.iterator(it);
          int i = 0;
          for (ValueType type = it.next(); type != ValueType.NONE; type = it.next(), i++) {
            assertThat(i).as("more samples than the input in %s", s.labels()).isLessThan(want.size);
            assertThat(it.atT()).isEqualTo(want.t[i]);
            assertThat(Double.doubleToRawLongBits(it.atV())).as("value at %d of %s", want.t[i], s.labels())
                .isEqualTo(Double.doubleToRawLongBits(want.v[i]));
          }
          assertThat(i).as("samples of %s", s.labels()).isEqualTo(want.size);
          samples += i;
          seriesCount++;
        }
        assertThat(seriesCount).isEqualTo(expected.size());
        assertThat(samples).isEqualTo(expected.values().stream().mapToLong(list -> list.size).sum());
      }
    }
  }
}
