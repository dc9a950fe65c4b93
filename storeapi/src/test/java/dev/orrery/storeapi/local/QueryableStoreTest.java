package dev.orrery.storeapi.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orrery.core.block.BlockSet;
import dev.orrery.core.block.BlockWriter;
import dev.orrery.core.chunk.SampleIterator;
import dev.orrery.core.chunk.ValueType;
import dev.orrery.core.labels.Labels;
import dev.orrery.core.testing.NativeHistogramBlocks;
import dev.orrery.storeapi.WireChunks;
import dev.orrery.storeapi.WireLabels;
import dev.orrery.storeapi.proto.thanos.AggrChunk;
import dev.orrery.storeapi.proto.thanos.LabelMatcher;
import dev.orrery.storeapi.proto.thanos.LabelNamesRequest;
import dev.orrery.storeapi.proto.thanos.LabelValuesRequest;
import dev.orrery.storeapi.proto.thanos.SeriesRequest;
import dev.orrery.storeapi.proto.thanos.SeriesResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueryableStoreTest {
  private static final long T0 = 1_700_000_000_000L;
  private static final Labels EXT = Labels.of("ruler", "r1");

  @TempDir
  Path dir;

  @Test
  void servesTheQueryablesSeriesWithExternalLabelsAsXorChunks() throws Exception {
    BlockWriter w = BlockWriter.builder(dir).build();
    for (int i = 0; i < 300; i++) {
      w.append(Labels.of("__name__", "job:up:sum", "job", "api"), T0 + i * 15_000L, i);
      w.append(Labels.of("__name__", "job:up:sum", "job", "db"), T0 + i * 15_000L, -i);
    }
    w.commit();
    try (BlockSet blocks = BlockSet.open(dir)) {
      QueryableStore store = new QueryableStore(blocks, EXT, "rule");

      List<SeriesResponse> all = series(store, SeriesRequest.newBuilder().setMinTime(T0 + 15_000)
          .setMaxTime(T0 + 300 * 15_000L).addMatchers(eq("__name__", "job:up:sum")).build());

      assertThat(all).hasSize(2);
      assertThat(WireLabels.toLabels(all.get(0).getSeries().getLabelsList()))
          .isEqualTo(Labels.of("__name__", "job:up:sum", "job", "api", "ruler", "r1"));
      List<AggrChunk> chunks = all.get(0).getSeries().getChunksList();
      assertThat(chunks).hasSize(3);
      assertThat(chunks.get(0).getMinTime()).isEqualTo(T0 + 15_000);
      List<Double> values = new ArrayList<>();
      SampleIterator it = null;
      for (AggrChunk c : chunks) {
        it = WireChunks.toChunk(c.getRaw(), "test").iterator(it);
        while (it.next() == ValueType.FLOAT) {
          values.add(it.atV());
        }
      }
      assertThat(values).hasSize(299).startsWith(1.0, 2.0).endsWith(299.0);

      assertThat(series(store, SeriesRequest.newBuilder().setMinTime(T0).setMaxTime(T0 + 10_000_000)
          .addMatchers(eq("ruler", "other")).addMatchers(eq("job", "api")).build())).isEmpty();
      assertThat(series(store, SeriesRequest.newBuilder().setMinTime(T0).setMaxTime(T0 + 10_000_000)
          .addMatchers(eq("ruler", "r1")).addMatchers(eq("job", "db")).setSkipChunks(true)
          .addWithoutReplicaLabels("ruler").build()))
          .singleElement().satisfies(r -> {
            assertThat(r.getSeries().getChunksCount()).isZero();
            assertThat(WireLabels.toLabels(r.getSeries().getLabelsList()))
                .isEqualTo(Labels.of("__name__", "job:up:sum", "job", "db"));
          });
      assertThat(series(store, SeriesRequest.newBuilder().setMinTime(T0).setMaxTime(T0 + 10_000_000)
          .addMatchers(eq("__name__", "job:up:sum")).setLimit(1).build())).hasSize(1);
      assertThat(store.labelNames(LabelNamesRequest.getDefaultInstance()).getNamesList())
          .containsExactly("__name__", "job", "ruler");
      assertThat(store.labelValues(LabelValuesRequest.newBuilder().setLabel("job").build()).getValuesList())
          .containsExactly("api", "db");
      assertThat(store.info().getComponentType()).isEqualTo("rule");
      assertThat(WireLabels.toLabels(store.info().getLabelSets(0).getLabelsList())).isEqualTo(EXT);
    }
  }

  @Test
  void nativeHistogramSamplesGoAsFloatHistogramChunks() throws Exception {
    Labels series = Labels.of("__name__", "job:latency:rate5m", "job", "api");
    BlockWriter w = BlockWriter.builder(dir).build();
    // Floats first, then histograms whose fourth bucket appears at 200: chunks of each kind, cut at the new layout.
    for (int i = 0; i < 10; i++) {
      w.append(series, T0 + i * 15_000L, i);
    }
    for (int i = 10; i < 300; i++) {
      w.append(series, T0 + i * 15_000L, i < 200 ? NativeHistogramBlocks.counter(i, i, i, i)
          : NativeHistogramBlocks.counter(i, i, i, i, 1));
    }
    w.commit();
    try (BlockSet blocks = BlockSet.open(dir)) {
      List<SeriesResponse> all = series(new QueryableStore(blocks, EXT, "rule"), SeriesRequest.newBuilder()
          .setMinTime(T0).setMaxTime(T0 + 300 * 15_000L).addMatchers(eq("job", "api")).build());

      List<String> kinds = new ArrayList<>();
      int histograms = 0;
      SampleIterator it = null;
      for (AggrChunk c : all.get(0).getSeries().getChunksList()) {
        kinds.add(c.getRaw().getType() + "@" + (c.getMinTime() - T0) / 15_000);
        it = WireChunks.toChunk(c.getRaw(), "test").iterator(it);
        for (ValueType type = it.next(); type != ValueType.NONE; type = it.next()) {
          if (type == ValueType.FLOAT_HISTOGRAM) {
            int i = (int) ((it.atT() - T0) / 15_000);
            assertThat(it.atFloatHistogram().sum()).isEqualTo(i);
            histograms++;
          }
        }
      }
      assertThat(kinds).containsExactly("XOR@0", "FLOAT_HISTOGRAM@10", "FLOAT_HISTOGRAM@130",
          "FLOAT_HISTOGRAM@200");
      assertThat(histograms).isEqualTo(290);
    }
  }

  private static LabelMatcher eq(String name, String value) {
    return LabelMatcher.newBuilder().setType(LabelMatcher.Type.EQ).setName(name).setValue(value).build();
  }

  private static List<SeriesResponse> series(QueryableStore store, SeriesRequest request) {
    List<SeriesResponse> out = new ArrayList<>();
    store.series(request, out::add);
    return out;
  }
}
