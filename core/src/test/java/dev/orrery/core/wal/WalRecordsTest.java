package dev.orrery.core.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orrery.core.io.CorruptDataException;
import dev.orrery.core.io.EncodeBuffer;
import dev.orrery.core.histogram.CounterResetHint;
import dev.orrery.core.histogram.FloatHistogram;
import dev.orrery.core.histogram.Histogram;
import dev.orrery.core.histogram.Span;
import dev.orrery.core.labels.Labels;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class WalRecordsTest {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void seriesRecordBytes() {
    EncodeBuffer out = new EncodeBuffer();
    WalRecords.encodeSeries(out, new long[] {1}, new Labels[] {Labels.of("__name__", "up", "job", "a")}, 1);
    assertThat(HEX.formatHex(out.toByteArray())).isEqualTo("01" + "0000000000000001" + "02"
        + "08" + HEX.formatHex("__name__".getBytes()) + "02" + HEX.formatHex("up".getBytes())
        + "03" + HEX.formatHex("job".getBytes()) + "01" + HEX.formatHex("a".getBytes()));
  }

  @Test
  void samplesRecordBytesAreDeltasAgainstTheFirstSample() {
    EncodeBuffer out = new EncodeBuffer();
    WalRecords.encodeSamples(out, new long[] {5, 3}, new long[] {1000, 1015}, new double[] {1.0, 2.5}, 2);
    assertThat(HEX.formatHex(out.toByteArray())).isEqualTo("02" + "0000000000000005" + "00000000000003e8"
        + "00" + "00" + "3ff0000000000000"
        + "03" + "1e" + "4004000000000000");
  }

  @Test
  void decodeReturnsWhatWasEncoded() {
    List<String> seen = new ArrayList<>();
    WalRecords.Visitor v = new WalRecords.Visitor() {
      @Override
      public void series(long ref, Labels labels) {
        seen.add(ref + " " + labels);
      }

      @Override
      public void sample(long ref, long t, double value) {
        seen.add(ref + "@" + t + "=" + Double.doubleToRawLongBits(value));
      }

      @Override
      public void otherRecord(int type) {
        seen.add("type " + type);
      }
    };
    EncodeBuffer out = new EncodeBuffer();
    WalRecords.encodeSeries(out, new long[] {9, 10},
        new Labels[] {Labels.of("a", "1"), Labels.of("__name__", "x", "b", "ü")}, 2);
    WalRecords.decode(out.array(), out.length(), "test", v);
    long staleNaN = 0x7ff0000000000002L;
    WalRecords.encodeSamples(out, new long[] {10, 9}, new long[] {-5, 7},
        new double[] {Double.longBitsToDouble(staleNaN), -0.0}, 2);
    WalRecords.decode(out.array(), out.length(), "test", v);
    WalRecords.decode(new byte[] {3, 1, 2}, 3, "test", v);
    assertThat(seen).containsExactly("9 {a=\"1\"}", "10 {__name__=\"x\", b=\"ü\"}",
        "10@-5=" + staleNaN, "9@7=" + Double.doubleToRawLongBits(-0.0), "type 3");
  }

  @Test
  void floatHistogramRecordsRoundTrip() {
    FloatHistogram exponential = new FloatHistogram(CounterResetHint.NOT_COUNTER_RESET, 3, 0.001, 2, 17.5, 123.25,
        new Span[] {new Span(-2, 2), new Span(3, 1)}, new double[] {1, 2.5, 4}, new Span[] {new Span(0, 1)},
        new double[] {8}, new double[0]);
    FloatHistogram custom = new FloatHistogram(CounterResetHint.GAUGE, Histogram.CUSTOM_BUCKETS_SCHEMA, 0, 0, 3, 9,
        new Span[] {new Span(0, 2)}, new double[] {1, 2}, new Span[0], new double[0], new double[] {0.5, 1});
    EncodeBuffer out = new EncodeBuffer();
    List<FloatHistogram> seen = new ArrayList<>();
    List<Long> refsAndTimes = new ArrayList<>();
    WalRecords.Visitor v = new WalRecords.Visitor() {
      @Override
      public void series(long ref, Labels labels) {}

      @Override
      public void sample(long ref, long t, double value) {}

      @Override
      public void floatHistogramSample(long ref, long t, FloatHistogram h) {
        refsAndTimes.add(ref);
        refsAndTimes.add(t);
        seen.add(h);
      }
    };
    WalRecords.encodeFloatHistogramSamples(out, new long[] {7, 5}, new long[] {1000, 990},
        new FloatHistogram[] {exponential, exponential}, 2);
    assertThat(out.array()[0]).isEqualTo((byte) WalRecords.FLOAT_HISTOGRAM_SAMPLES);
    WalRecords.decode(out.array(), out.length(), "test", v);
    WalRecords.encodeFloatHistogramSamples(out, new long[] {9}, new long[] {2000}, new FloatHistogram[] {custom}, 1);
    assertThat(out.array()[0]).isEqualTo((byte) WalRecords.CUSTOM_BUCKETS_FLOAT_HISTOGRAM_SAMPLES);
    WalRecords.decode(out.array(), out.length(), "test", v);
    assertThat(refsAndTimes).containsExactly(7L, 1000L, 5L, 990L, 9L, 2000L);
    assertThat(seen).usingRecursiveFieldByFieldElementComparator().containsExactly(exponential, exponential, custom);
  }

  @Test
  void aTruncatedRecordIsCorruptData() {
    EncodeBuffer out = new EncodeBuffer();
    WalRecords.encodeSamples(out, new long[] {1}, new long[] {1}, new double[] {1}, 1);
    assertThatThrownBy(() -> WalRecords.decode(out.array(), out.length() - 3, "segment 7", new WalRecords.Visitor() {
      @Override
      public void series(long ref, Labels labels) {}

      @Override
      public void sample(long ref, long t, double value) {}
    })).isInstanceOf(CorruptDataException.class).hasMessageContaining("segment 7").hasMessageContaining("offset 19");
  }
}
