package dev.orrery.storeapi.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.orrery.core.labels.Labels;
import dev.orrery.storeapi.EncodedSeriesFrame;
import dev.orrery.storeapi.proto.thanos.AggrChunk;
import dev.orrery.storeapi.proto.thanos.Chunk;
import dev.orrery.storeapi.proto.thanos.Label;
import dev.orrery.storeapi.proto.thanos.Series;
import dev.orrery.storeapi.proto.thanos.SeriesBatch;
import dev.orrery.storeapi.proto.thanos.SeriesResponse;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The hand-written frame encoder produces exactly the bytes of protobuf's generated encoder. */
class SeriesFrameEncoderTest {
  static final byte[] X = HexFormat.of().parseHex("000380a0abfef9623ff00000000000009875c25fff6c06");

  static Series series(Labels l, long... times) {
    Series.Builder s = Series.newBuilder();
    l.forEach((n, v) -> s.addLabels(Label.newBuilder().setName(n).setValue(v)));
    for (int i = 0; i < times.length; i += 2) {
      s.addChunks(AggrChunk.newBuilder().setMinTime(times[i]).setMaxTime(times[i + 1])
          .setRaw(Chunk.newBuilder().setType(i == 2 ? Chunk.Encoding.HISTOGRAM : Chunk.Encoding.XOR)
              .setData(ByteString.copyFrom(X))));
    }
    return s.build();
  }

  static void add(SeriesFrameEncoder e, Labels l, long... times) {
    e.beginSeries(l);
    for (int i = 0; i < times.length; i += 2) {
      byte[] padded = new byte[X.length + 7];
      System.arraycopy(X, 0, padded, 3, X.length);
      e.addRawChunk(times[i], times[i + 1], i == 2 ? 1 : 0, padded, 3, X.length);
    }
    e.endSeries();
  }

  static byte[] bytes(EncodedSeriesFrame f) {
    return Arrays.copyOfRange(f.bytes(), f.offset(), f.offset() + f.length());
  }

  @Test
  void singleSeriesFrameMatchesTheGeneratedEncoder() {
    Labels l = Labels.of("__name__", "up", "job", "api", "ünïcode", "välue");
    SeriesFrameEncoder e = new SeriesFrameEncoder(false);
    add(e, l, 1700000000000L, 1700000030000L, 0, 5, -1000, -1);
    assertThat(bytes(e.finishFrame())).isEqualTo(SeriesResponse.newBuilder()
        .setSeries(series(l, 1700000000000L, 1700000030000L, 0, 5, -1000, -1)).build().toByteArray());
    assertThat(e.finishFrame()).isNull();
  }

  @Test
  void batchFrameMatchesTheGeneratedEncoder() {
    SeriesFrameEncoder e = new SeriesFrameEncoder(true);
    SeriesBatch.Builder want = SeriesBatch.newBuilder();
    for (int i = 0; i < 300; i++) {
      Labels l = Labels.of("__name__", "m", "i", String.valueOf(i));
      add(e, l, i * 1000L, i * 1000L + 999);
      want.addSeries(series(l, i * 1000L, i * 1000L + 999));
    }
    assertThat(e.seriesInFrame()).isEqualTo(300);
    assertThat(bytes(e.finishFrame())).isEqualTo(SeriesResponse.newBuilder().setBatch(want).build().toByteArray());
  }

  @Test
  void prebuiltChunksAndEmptySeriesEncodeToo() {
    SeriesFrameEncoder e = new SeriesFrameEncoder(false);
    Labels l = Labels.of("a", "b");
    AggrChunk agg = AggrChunk.newBuilder().setMinTime(1).setMaxTime(2)
        .setCount(Chunk.newBuilder().setData(ByteString.copyFrom(X))).build();
    e.beginSeries(l);
    e.addChunk(agg);
    e.endSeries();
    assertThat(bytes(e.finishFrame())).isEqualTo(SeriesResponse.newBuilder().setSeries(Series.newBuilder()
        .addLabels(Label.newBuilder().setName("a").setValue("b")).addChunks(agg)).build().toByteArray());
    e.beginSeries(l);
    e.endSeries();
    assertThat(e.finishFrame().decode().getSeries().getChunksCount()).isZero();
  }
}
