package dev.orrery.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orrery.core.block.BlockMeta;
import dev.orrery.core.block.BlockWriter;
import dev.orrery.core.chunk.AggrChunkSlots;
import dev.orrery.core.chunk.Chunk;
import dev.orrery.core.chunk.ChunkEncoding;
import dev.orrery.core.chunk.FloatSamples;
import dev.orrery.core.labels.Labels;
import dev.orrery.downsample.BlockDownsampler;
import dev.orrery.downsample.DownsampledChunk;
import dev.orrery.downsample.RawDownsampler;
import dev.orrery.objstore.InMemoryBucket;
import dev.orrery.objstore.block.BlockBucket;
import dev.orrery.storeapi.gateway.BucketStore;
import dev.orrery.storeapi.proto.thanos.Aggr;
import dev.orrery.storeapi.proto.thanos.AggrChunk;
import dev.orrery.storeapi.proto.thanos.LabelMatcher;
import dev.orrery.storeapi.proto.thanos.SeriesRequest;
import dev.orrery.storeapi.proto.thanos.SeriesResponse;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A raw block and its 5m copy from {@link BlockDownsampler} in one bucket, served by the store gateway: a request that
 * allows 5m resolution gets the aggregate chunks of the 5m block, with the sub-chunks it asks for; one that does not
 * gets the raw chunks.
 */
class DownsampledBlocksGatewayTest {
  private static final Labels SERIES = Labels.of("__name__", "requests_total", "job", "api");

  @TempDir
  Path tmp;

  @Test
  void gatewayServesAggregatesOfDownsampledBlocks() throws Exception {
    int n = 2_880;
    long start = 1_700_000_000_000L;
    long[] ts = new long[n];
    double[] vs = new double[n];
    BlockWriter writer = BlockWriter.builder(tmp).externalLabels(Map.of("cluster", "eu")).build();
    for (int i = 0; i < n; i++) {
      ts[i] = start + i * 60_000L;
      vs[i] = i * 2.0;
      writer.append(SERIES, ts[i], vs[i]);
    }
    BlockMeta raw = writer.commit();
    BlockMeta fiveMinute = BlockDownsampler.downsample(tmp.resolve(raw.ulid().toString()), tmp);
    InMemoryBucket bucket = new InMemoryBucket();
    BlockBucket blocks = new BlockBucket(bucket, Clock.systemUTC());
    blocks.upload(tmp.resolve(raw.ulid().toString()));
    blocks.upload(tmp.resolve(fiveMinute.ulid().toString()));
    List<DownsampledChunk> expected = RawDownsampler.downsample(ts, vs, n);

    try (BucketStore store = BucketStore.builder(bucket, tmp.resolve("data")).build()) {
      assertThat(store.sync().added()).hasSize(2);

      List<AggrChunk> aggregated = chunks(store, RawDownsampler.RESOLUTION_5M, Aggr.COUNT, Aggr.SUM);
      assertThat(aggregated).hasSize(expected.size());
      for (int i = 0; i < expected.size(); i++) {
        AggrChunk got = aggregated.get(i);
        assertThat(got.hasRaw()).isFalse();
        assertThat(got.getMinTime()).isEqualTo(expected.get(i).minTime());
        assertThat(got.getMaxTime()).isEqualTo(expected.get(i).maxTime());
        assertThat(samples(got.getCount().getData().asReadOnlyByteBuffer()))
            .isEqualTo(samples(slot(expected.get(i), AggrChunkSlots.COUNT)));
        assertThat(samples(got.getSum().getData().asReadOnlyByteBuffer()))
            .isEqualTo(samples(slot(expected.get(i), AggrChunkSlots.SUM)));
      }

      List<AggrChunk> rawChunks = chunks(store, 0, Aggr.RAW);
      assertThat(rawChunks).isNotEmpty().allSatisfy(c -> assertThat(c.hasRaw()).isTrue());
      assertThat(rawChunks.stream().mapToInt(c -> Chunk.of(ChunkEncoding.XOR,
          c.getRaw().getData().asReadOnlyByteBuffer()).numSamples()).sum()).isEqualTo(n);
    }
  }

  private static List<AggrChunk> chunks(BucketStore store, long maxResolution, Aggr... aggregates) {
    SeriesRequest request = SeriesRequest.newBuilder().setMinTime(Long.MIN_VALUE).setMaxTime(Long.MAX_VALUE)
        .addMatchers(LabelMatcher.newBuilder().setType(LabelMatcher.Type.EQ).setName("__name__")
            .setValue("requests_total"))
        .setMaxResolutionWindow(maxResolution).addAllAggregates(List.of(aggregates)).build();
    List<AggrChunk> out = new ArrayList<>();
    store.series(request, (SeriesResponse r) -> {
      if (r.hasSeries()) {
        out.addAll(r.getSeries().getChunksList());
      }
      for (var s : r.getBatch().getSeriesList()) {
        out.addAll(s.getChunksList());
      }
    });
    return out;
  }

  private static ByteBuffer slot(DownsampledChunk chunk, int k) {
    ByteBuffer[] slots = new ByteBuffer[AggrChunkSlots.SLOTS];
    AggrChunkSlots.split(ByteBuffer.wrap(chunk.data()), slots, new int[AggrChunkSlots.SLOTS], "expected");
    return slots[k];
  }

  private static String samples(ByteBuffer xor) {
    FloatSamples out = new FloatSamples();
    Chunk.of(ChunkEncoding.XOR, xor).iterator(null).appendFloats(out, Long.MAX_VALUE);
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < out.count; i++) {
      b.append(out.ts[i]).append('=').append(out.values[i]).append(' ');
    }
    return b.toString();
  }
}
