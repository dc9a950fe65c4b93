package dev.orrery.core.chunk;

import dev.orrery.core.histogram.Histogram;
import dev.orrery.core.histogram.Span;
import java.util.Arrays;

/**
 * The bucket layout at the start of every histogram chunk's bit stream, shared by all its samples (FORMATS.md 2.6
 * items 1-4): zero threshold, schema, positive and negative spans, and for schema {@value Histogram#CUSTOM_BUCKETS_SCHEMA}
 * the custom bucket bounds. Immutable.
 */
record HistogramChunkLayout(
    int schema,
    double zeroThreshold,
    Span[] positiveSpans,
    Span[] negativeSpans,
    double[] customValues,
    int positiveBuckets,
    int negativeBuckets) {

  static final Span[] NO_SPANS = new Span[0];
  static final double[] NO_VALUES = new double[0];
  /** The layout a stale marker as first sample writes: nothing. */
  static final HistogramChunkLayout EMPTY = new HistogramChunkLayout(0, 0, NO_SPANS, NO_SPANS, NO_VALUES, 0, 0);

  /** A layout from a sample's fields; counts its buckets. */
  static HistogramChunkLayout of(int schema, double zeroThreshold, Span[] positiveSpans, Span[] negativeSpans,
      double[] customValues) {
    Span[] p = positiveSpans.clone();
    Span[] n = negativeSpans.clone();
    double[] c = schema == Histogram.CUSTOM_BUCKETS_SCHEMA ? customValues.clone() : NO_VALUES;
    return new HistogramChunkLayout(schema, zeroThreshold, p, n, c, bucketCount(p), bucketCount(n));
  }

  private static int bucketCount(Span[] spans) {
    long n = 0;
    for (Span s : spans) {
      if (s.length() < 0) {
        throw new IllegalArgumentException("negative span length " + s.length());
      }
      n += s.length();
    }
    if (n > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("too many buckets: " + n);
    }
    return (int) n;
  }

  /**
   * Whether a sample with these fields has this layout, as Prometheus compares them: schema, zero threshold
   * ({@code ==}), spans, and custom bounds for schema -53.
   */
  boolean matches(int schema, double zeroThreshold, Span[] positiveSpans, Span[] negativeSpans,
      double[] customValues) {
    if (schema != this.schema || zeroThreshold != this.zeroThreshold) {
      return false;
    }
    if (!Arrays.equals(positiveSpans, this.positiveSpans) || !Arrays.equals(negativeSpans, this.negativeSpans)) {
      return false;
    }
    if (schema != Histogram.CUSTOM_BUCKETS_SCHEMA) {
      return true;
    }
    if (customValues.length != this.customValues.length) {
      return false;
    }
    for (int i = 0; i < customValues.length; i++) {
      if (customValues[i] != this.customValues[i]) {
        return false;
      }
    }
    return true;
  }

  // ---- writing ----

  void write(BitWriter w) {
    writeZeroThreshold(w, zeroThreshold);
    w.writeVarbitInt(schema);
    writeSpans(w, positiveSpans);
    writeSpans(w, negativeSpans);
    if (schema == Histogram.CUSTOM_BUCKETS_SCHEMA) {
      w.writeVarbitUint(customValues.length);
      for (double bound : customValues) {
        writeCustomBound(w, bound);
      }
    }
  }

  /**
   * Zero threshold: byte 0 for 0.0; a byte {@code 1..254} for powers of two 2^-243 .. 2^10 (Go's {@code frexp} gives
   * fraction 0.5 and exponent {@code e + 1} for 2^e; the byte is that exponent plus 243); otherwise 255 and 64 raw bits.
   */
  static void writeZeroThreshold(BitWriter w, double threshold) {
    if (threshold == 0) {
      w.writeByte(0);
      return;
    }
    long raw = Double.doubleToRawLongBits(threshold);
    int exponent = Math.getExponent(threshold);
    boolean powerOfTwo = threshold > 0 && exponent >= Double.MIN_EXPONENT && exponent <= Double.MAX_EXPONENT
        && (raw & 0x000FFFFFFFFFFFFFL) == 0;
    int frexpExponent = exponent + 1;
    if (!powerOfTwo || frexpExponent < -242 || frexpExponent > 11) {
      w.writeByte(255);
      w.writeBits(raw, 64);
      return;
    }
    w.writeByte(frexpExponent + 243);
  }

  private static void writeSpans(BitWriter w, Span[] spans) {
    w.writeVarbitUint(spans.length);
    for (Span s : spans) {
      w.writeVarbitUint(s.length() & 0xFFFFFFFFL);
      w.writeVarbitInt(s.offset());
    }
  }

  /**
   * A custom bound that is a multiple of 0.001 in [0, 33554.430] is stored as {@code varbit_uint(round(x*1000) + 1)},
   * anything else as a {@code 0} bit and 64 raw bits (Prometheus' {@code putCustomBound}).
   */
  static void writeCustomBound(BitWriter w, double bound) {
    double scaled = bound * 1000;
    if (scaled >= 0 && scaled <= 33554430 && isWholeWhenMultiplied(bound)) {
      w.writeVarbitUint(Math.round(scaled) + 1);
    } else {
      w.writeBits(0, 1);
      w.writeBits(Double.doubleToRawLongBits(bound), 64);
    }
  }

  private static boolean isWholeWhenMultiplied(double bound) {
    long i = Math.round(bound * 1000);
    return bound == i / 1000.0;
  }

  // ---- reading ----

  /** Reads a layout; every count is checked against the bits left so that corrupt data cannot allocate much. */
  static HistogramChunkLayout read(BitReader r) {
    double zeroThreshold = readZeroThreshold(r);
    long schemaValue = r.readVarbitInt();
    if (schemaValue != (int) schemaValue) {
      throw r.corrupt(r.position(), "corrupt histogram chunk layout", "schema " + schemaValue + " out of range");
    }
    int schema = (int) schemaValue;
    Span[] positive = readSpans(r);
    Span[] negative = readSpans(r);
    double[] custom = NO_VALUES;
    if (schema == Histogram.CUSTOM_BUCKETS_SCHEMA) {
      long n = r.readVarbitUint();
      checkCount(r, n, 1, "custom bound");
      custom = new double[(int) n];
      for (int i = 0; i < custom.length; i++) {
        custom[i] = readCustomBound(r);
      }
    }
    r.checkNotPastEnd();
    long positiveBuckets = bucketCount(r, positive);
    long negativeBuckets = bucketCount(r, negative);
    // Sample 0 spends at least one bit on every bucket.
    checkCount(r, positiveBuckets + negativeBuckets, 1, "bucket");
    return new HistogramChunkLayout(schema, zeroThreshold, positive, negative, custom, (int) positiveBuckets,
        (int) negativeBuckets);
  }

  private static long bucketCount(BitReader r, Span[] spans) {
    long n = 0;
    for (Span s : spans) {
      n += s.length();
    }
    return n;
  }

  static double readZeroThreshold(BitReader r) {
    int b = r.readByte();
    return switch (b) {
      case 0 -> 0.0;
      case 255 -> Double.longBitsToDouble(r.readBits(64));
      default -> Math.scalb(0.5, b - 243);
    };
  }

  private static Span[] readSpans(BitReader r) {
    long n = r.readVarbitUint();
    // Every span spends at least two bits (length and offset).
    checkCount(r, n, 2, "span");
    if (n == 0) {
      return NO_SPANS;
    }
    Span[] spans = new Span[(int) n];
    for (int i = 0; i < spans.length; i++) {
      long length = r.readVarbitUint();
      long offset = r.readVarbitInt();
      if (length < 0 || length > Integer.MAX_VALUE || offset != (int) offset) {
        throw r.corrupt(r.position(), "corrupt histogram chunk layout",
            "span " + i + " length " + Long.toUnsignedString(length) + " offset " + offset + " out of range");
      }
      spans[i] = new Span((int) offset, (int) length);
    }
    return spans;
  }

  static double readCustomBound(BitReader r) {
    long b = r.readVarbitUint();
    if (b == 0) {
      return Double.longBitsToDouble(r.readBits(64));
    }
    long scaled = b - 1;
    double value = scaled >= 0 ? scaled : ((scaled >>> 1) * 2.0 + (scaled & 1));
    return value / 1000;
  }

  private static void checkCount(BitReader r, long count, int minBitsEach, String what) {
    long room = Math.max(0, r.remaining()) / minBitsEach;
    if (count < 0 || count > room) {
      throw r.corrupt(r.position(), "corrupt histogram chunk layout",
          what + " count " + Long.toUnsignedString(count) + " exceeds what the " + Math.max(0, r.remaining())
              + " remaining bits can hold");
    }
  }
}
