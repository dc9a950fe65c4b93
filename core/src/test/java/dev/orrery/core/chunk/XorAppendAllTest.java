package dev.orrery.core.chunk;

import static dev.orrery.core.chunk.ChunkTestSupport.NORMAL_NAN;
import static dev.orrery.core.chunk.ChunkTestSupport.STALE_NAN;
import static dev.orrery.core.chunk.ChunkTestSupport.decodeFloats;
import static dev.orrery.core.chunk.ChunkTestSupport.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orrery.core.chunk.ChunkTestSupport.FloatSample;
import dev.orrery.core.testing.Generators;
import dev.orrery.core.testing.Properties;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link XorAppender#appendAll} against per-sample {@link XorAppender#append} and against a reference encoder that
 * makes Prometheus' writes one field at a time (FORMATS.md 2.3), in both writer forms.
 */
class XorAppendAllTest {
  private static final WriterCompatibility[] FORMS = WriterCompatibility.values();

  @Test
  void randomStreamsInRandomSlicesMatchPerSampleAppendAndTheReference() {
    Properties.check("randomStreamsInRandomSlicesMatchPerSampleAppendAndTheReference", 400, random -> {
      // Up to 400 samples: appendAll works in blocks of 128.
      assertAllFormsAgree(SampleGenerators.floatSamples(random, 0, 400), random);
    });
  }

  @Test
  void everyDodBucketBoundaryAtEveryPositionMatches() {
    SplittableRandom random = new SplittableRandom(1);
    for (long dod : SampleGenerators.DOD_BOUNDARIES) {
      for (int at = 2; at < 6; at++) {
        List<FloatSample> samples = new ArrayList<>();
        long t = 1_700_000_000_000L;
        long delta = 15_000;
        for (int i = 0; i < 8; i++) {
          if (i > 0) {
            delta += i == at ? dod : 0;
            t += delta;
          }
          samples.add(new FloatSample(t, Double.doubleToRawLongBits(i * 0.5)));
        }
        assertAllFormsAgree(samples, random);
      }
    }
  }

  @Test
  void mixedAndUnmixedRunsOfValuesMatchAcrossBlocks() {
    // appendAll picks its loop per block by how many values repeat: counter-like runs (a quarter repeated), gauge-like
    // runs (none) and constant runs (all) follow each other across blocks, and the first values repeat before any
    // window is open.
    SplittableRandom random = new SplittableRandom(5);
    List<FloatSample> samples = new ArrayList<>();
    long t = 1_700_000_000_000L;
    double v = 0;
    for (int i = 0; i < 700; i++) {
      t += 15_000 + random.nextInt(25);
      int phase = i / 100 % 3;
      if (phase == 0 && i >= 5 && random.nextInt(4) != 0) {
        v += random.nextInt(1, 40) * 0.5;
      } else if (phase == 1) {
        v = Math.round((v + random.nextInt(-300, 301) / 100.0) * 100) / 100.0;
      }
      samples.add(new FloatSample(t, Double.doubleToRawLongBits(v)));
    }
    assertAllFormsAgree(samples, random);
  }

  @Test
  void wideWindowsNansAndWideDodsTogetherMatch() {
    long[] values = {0, 0x8000000000000001L, 0x0000000000000001L, 0x8000000000000000L, -1L, STALE_NAN, NORMAL_NAN,
        STALE_NAN, STALE_NAN, 0x7ff0000000000000L, 0xfff0000000000000L, Double.doubleToRawLongBits(-0.0), 1L << 32,
        (1L << 32) | 1, Long.MAX_VALUE, Long.MIN_VALUE, Double.doubleToRawLongBits(Double.MIN_VALUE)};
    long[] dods = {0, Long.MIN_VALUE, 1, 524289, -524288, Long.MAX_VALUE, 8192, 0, -65536, 65537};
    SplittableRandom random = new SplittableRandom(2);
    for (int shift = 0; shift < dods.length; shift++) {
      List<FloatSample> samples = new ArrayList<>();
      long t = 0;
      long delta = 10;
      for (int i = 0; i < 3 * values.length; i++) {
        if (i > 1) {
          delta += dods[(i + shift) % dods.length];
        }
        if (i > 0) {
          t += delta;
        }
        samples.add(new FloatSample(t, values[(i * 7 + shift) % values.length]));
      }
      assertAllFormsAgree(samples, random);
    }
  }

  @Test
  void shortAndTypicalLengthsMatch() {
    SplittableRandom random = new SplittableRandom(3);
    for (int size : new int[] {0, 1, 2, 3, 4, 120, 127, 128, 129, 130, 256, 257}) {
      for (int round = 0; round < 20; round++) {
        List<FloatSample> samples = SampleGenerators.floatSamples(random, size, size);
        assertAllFormsAgree(samples, random);
      }
    }
  }

  @Test
  void maxSamplesMatchAndOneMoreThrowsAppendingNothing() {
    SplittableRandom random = new SplittableRandom(4);
    List<FloatSample> samples = SampleGenerators.floatSamples(random, XorChunk.MAX_SAMPLES, XorChunk.MAX_SAMPLES);
    long[] ts = times(samples);
    double[] vs = values(samples);
    for (WriterCompatibility form : FORMS) {
      XorAppender bulk = new XorAppender(form);
      bulk.appendAll(ts, vs, 0, ts.length);
      byte[] bytes = bulk.bytes();
      assertThat(bytes).isEqualTo(perSample(samples, form)).isEqualTo(Reference.encode(samples, form));
      assertThatThrownBy(() -> bulk.appendAll(ts, vs, 0, 1)).isInstanceOf(IllegalStateException.class)
          .hasMessage("XOR chunk is full: 65535 samples");
      assertThatThrownBy(() -> bulk.append(1, 1)).isInstanceOf(IllegalStateException.class)
          .hasMessage("XOR chunk is full: 65535 samples");
      bulk.appendAll(ts, vs, 5, 5);
      assertThat(bulk.bytes()).isEqualTo(bytes);
      assertThat(bulk.numSamples()).isEqualTo(XorChunk.MAX_SAMPLES);
    }
  }

  @Test
  void overflowingTheChunkThrowsBeforeAppendingAny() {
    long[] ts = new long[10];
    double[] vs = new double[10];
    XorAppender a = new XorAppender();
    for (int i = 0; i < XorChunk.MAX_SAMPLES - 3; i++) {
      a.append(i, i);
    }
    byte[] before = a.bytes();
    assertThatThrownBy(() -> a.appendAll(ts, vs, 0, 4)).isInstanceOf(IllegalStateException.class)
        .hasMessage("XOR chunk is full: 65535 samples");
    assertThat(a.bytes()).isEqualTo(before);
    assertThat(a.numSamples()).isEqualTo(XorChunk.MAX_SAMPLES - 3);
  }

  @Test
  void rangesOutsideEitherArrayAreRejected() {
    XorAppender a = new XorAppender();
    assertThatThrownBy(() -> a.appendAll(new long[3], new double[3], 2, 4))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> a.appendAll(new long[3], new double[2], 0, 3))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> a.appendAll(new long[3], new double[3], 2, 1))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThat(a.numSamples()).isZero();
  }

  @Test
  void resumedAppenderContinuesWithAppendAll() {
    Properties.check("resumedAppenderContinuesWithAppendAll", 100, random -> {
      List<FloatSample> samples = SampleGenerators.floatSamples(random, 1, 200);
      int cut = random.nextInt(samples.size() + 1);
      XorAppender first = new XorAppender();
      samples.subList(0, cut).forEach(s -> first.appendBits(s.t(), s.bits()));
      XorAppender resumed = XorAppender.resume(first.toChunk(), WriterCompatibility.PROMETHEUS_3);
      XorAppender perSample = XorAppender.resume(first.toChunk(), WriterCompatibility.PROMETHEUS_3);
      List<FloatSample> rest = samples.subList(cut, samples.size());
      resumed.appendAll(times(rest), values(rest), 0, rest.size());
      rest.forEach(s -> perSample.appendBits(s.t(), s.bits()));
      assertThat(hex(resumed.bytes())).isEqualTo(hex(perSample.bytes()));
      assertThat(decodeFloats(resumed.toChunk())).isEqualTo(samples);
    });
  }

  /**
   * The chunk of {@code samples} written by per-sample appends, by the reference, and by {@code appendAll} over random
   * slices mixed with single appends, all on one reused appender: identical bytes, lengths and time bounds.
   */
  private static void assertAllFormsAgree(List<FloatSample> samples, SplittableRandom random) {
    long[] ts = times(samples);
    double[] vs = values(samples);
    for (WriterCompatibility form : FORMS) {
      String expected = hex(Reference.encode(samples, form));
      assertThat(hex(perSample(samples, form))).as("append, %s", form).isEqualTo(expected);

      XorAppender whole = new XorAppender(form);
      whole.appendAll(ts, vs, 0, ts.length);
      assertThat(hex(whole.bytes())).as("one appendAll, %s", form).isEqualTo(expected);

      XorAppender mixed = new XorAppender(form);
      // A reused appender: a previous chunk must leave nothing behind.
      mixed.appendAll(ts, vs, 0, Math.min(ts.length, 3));
      mixed.reset();
      int i = 0;
      while (i < ts.length) {
        if (random.nextInt(4) == 0) {
          mixed.append(ts[i], vs[i]);
          i++;
        } else {
          int to = i + Generators.intBetween(random, 0, Math.min(ts.length - i, random.nextBoolean() ? 4 : 300));
          mixed.appendAll(ts, vs, i, to);
          i = to;
        }
      }
      byte[] bytes = mixed.bytes();
      assertThat(hex(bytes)).as("mixed, %s", form).isEqualTo(expected);
      assertThat(mixed.byteLength()).isEqualTo(bytes.length);
      assertThat(mixed.numSamples()).isEqualTo(samples.size());
      if (!samples.isEmpty()) {
        assertThat(mixed.minTimeMillis()).isEqualTo(ts[0]);
        assertThat(mixed.maxTimeMillis()).isEqualTo(ts[ts.length - 1]);
      }
    }
  }

  private static byte[] perSample(List<FloatSample> samples, WriterCompatibility form) {
    XorAppender a = new XorAppender(form);
    for (FloatSample s : samples) {
      a.appendBits(s.t(), s.bits());
    }
    return a.bytes();
  }

  private static long[] times(List<FloatSample> samples) {
    return samples.stream().mapToLong(FloatSample::t).toArray();
  }

  private static double[] values(List<FloatSample> samples) {
    return samples.stream().mapToDouble(s -> Double.longBitsToDouble(s.bits())).toArray();
  }

  /**
   * FORMATS.md 2.3 written the way Prometheus' xorAppender does, one {@link BitWriter#writeBits} per write of its
   * bstream, so the 2.x spare byte follows from the writer's rule for the last write.
   */
  static final class Reference {
    private Reference() {}

    static byte[] encode(List<FloatSample> samples, WriterCompatibility form) {
      BitWriter w = new BitWriter(XorChunk.HEADER_BYTES, form);
      long t = 0;
      long delta = 0;
      long prev = 0;
      int leading = 0xFF;
      int trailing = 0;
      for (int i = 0; i < samples.size(); i++) {
        FloatSample s = samples.get(i);
        if (i == 0) {
          long zigzag = (s.t() << 1) ^ (s.t() >> 63);
          writeUvarintBytes(w, zigzag);
          w.writeBits(s.bits(), 64);
        } else {
          long d = s.t() - t;
          if (i == 1) {
            writeUvarintBytes(w, d);
          } else {
            long dod = d - delta;
            if (dod == 0) {
              w.writeBits(0, 1);
            } else if (BitWriter.fitsSigned(dod, 14)) {
              w.writeBits(0b10, 2);
              w.writeBits(dod, 14);
            } else if (BitWriter.fitsSigned(dod, 17)) {
              w.writeBits(0b110, 3);
              w.writeBits(dod, 17);
            } else if (BitWriter.fitsSigned(dod, 20)) {
              w.writeBits(0b1110, 4);
              w.writeBits(dod, 20);
            } else {
              w.writeBits(0b1111, 4);
              w.writeBits(dod, 64);
            }
          }
          delta = d;
          long x = s.bits() ^ prev;
          if (x == 0) {
            w.writeBits(0, 1);
          } else {
            w.writeBits(1, 1);
            int lz = Math.min(Long.numberOfLeadingZeros(x), 31);
            int tz = Long.numberOfTrailingZeros(x);
            if (leading != 0xFF && lz >= leading && tz >= trailing) {
              w.writeBits(0, 1);
              w.writeBits(x >>> trailing, 64 - leading - trailing);
            } else {
              leading = lz;
              trailing = tz;
              int sig = 64 - lz - tz;
              w.writeBits(1, 1);
              w.writeBits(lz, 5);
              w.writeBits(sig, 6);
              w.writeBits(x >>> tz, sig);
            }
          }
        }
        t = s.t();
        prev = s.bits();
      }
      w.setHeaderByte(0, samples.size() >>> 8);
      w.setHeaderByte(1, samples.size());
      return w.toByteArray();
    }

    private static void writeUvarintBytes(BitWriter w, long u) {
      while ((u & ~0x7FL) != 0) {
        w.writeBits((u & 0x7F) | 0x80, 8);
        u >>>= 7;
      }
      w.writeBits(u, 8);
    }
  }
}
