package dev.orrery.core.wal;

import dev.orrery.core.histogram.CounterResetHint;
import dev.orrery.core.histogram.FloatHistogram;
import dev.orrery.core.histogram.Histogram;
import dev.orrery.core.histogram.NativeHistogram;
import dev.orrery.core.histogram.Span;
import dev.orrery.core.io.DecodeBuffer;
import dev.orrery.core.io.EncodeBuffer;
import dev.orrery.core.labels.Labels;
import dev.orrery.core.labels.LabelsBuilder;
import java.nio.ByteBuffer;

/**
 * The TSDB head's WAL records that carry series and their float and float histogram samples: series records (type 1:
 * per series a big-endian 64-bit reference, then its labels as a uvarint count and uvarint-prefixed names and values),
 * sample records (type 2: the first sample's reference and timestamp as big-endian 64-bit integers, then per sample the
 * zig-zag varint deltas of reference and timestamp against them and the value's IEEE-754 bits, big-endian) and float
 * histogram sample records (type 8, and 10 for custom buckets: the same header and deltas, then per histogram its
 * counter reset hint byte, schema (varint), zero threshold, zero count, count and sum (big-endian doubles), positive
 * and negative spans (uvarint count, then varint offset and uvarint length each), positive and negative buckets
 * (uvarint count, then big-endian doubles), and for custom buckets their bounds (uvarint count, doubles)). Other record
 * types (tombstones, exemplars, m-map markers, metadata) are passed over by {@link #decode} with their type. Integer
 * histogram records (7, and 9 for custom buckets) hold the same fields with counts as uvarints and buckets as varint
 * deltas.
 */
public final class WalRecords {
  /** Record type of series definitions. */
  public static final int SERIES = 1;
  /** Record type of float samples. */
  public static final int SAMPLES = 2;
  /** Record type of integer histogram samples with exponential buckets. */
  public static final int HISTOGRAM_SAMPLES = 7;
  /** Record type of float histogram samples with exponential buckets. */
  public static final int FLOAT_HISTOGRAM_SAMPLES = 8;
  /** Record type of integer histogram samples with custom buckets. */
  public static final int CUSTOM_BUCKETS_HISTOGRAM_SAMPLES = 9;
  /** Record type of float histogram samples with custom buckets. */
  public static final int CUSTOM_BUCKETS_FLOAT_HISTOGRAM_SAMPLES = 10;
  /** Counter reset hints by their byte in a record (Prometheus' numbering is the enum's order). */
  private static final CounterResetHint[] HINTS = CounterResetHint.values();

  private WalRecords() {}

  /** What {@link #decode} finds in a record. */
  public interface Visitor {
    /** A series definition: {@code ref} names it in sample records. */
    void series(long ref, Labels labels);

    /** A float sample of series {@code ref}. */
    void sample(long ref, long timestampMillis, double value);

    /** A float histogram sample of series {@code ref}; ignored unless overridden. */
    default void floatHistogramSample(long ref, long timestampMillis, FloatHistogram histogram) {}

    /** An integer histogram sample of series {@code ref}; by default passed on as a float histogram. */
    default void histogramSample(long ref, long timestampMillis, Histogram histogram) {
      floatHistogramSample(ref, timestampMillis, histogram.toFloat());
    }

    /** A record of a type not decoded here (tombstones 3, exemplars 4, histogram samples 7 and 8, ...). */
    default void otherRecord(int type) {}
  }

  /** Writes a series record of the first {@code n} refs and labels into {@code out} (reset first). */
  public static void encodeSeries(EncodeBuffer out, long[] refs, Labels[] labels, int n) {
    out.reset();
    out.putByte(SERIES);
    for (int i = 0; i < n; i++) {
      Labels l = labels[i];
      out.putBE64(refs[i]);
      out.putUvarint(l.size());
      for (int k = 0; k < l.size(); k++) {
        out.putUvarintString(l.name(k));
        out.putUvarintString(l.value(k));
      }
    }
  }

  /** Writes a sample record of the first {@code n} samples into {@code out} (reset first). */
  public static void encodeSamples(EncodeBuffer out, long[] refs, long[] timestamps, double[] values, int n) {
    startSamples(out, SAMPLES, refs, timestamps, n);
    for (int i = 0; i < n; i++) {
      putRefAndTime(out, refs, timestamps, i);
      out.putBE64(Double.doubleToRawLongBits(values[i]));
    }
  }

  /** Starts a record of samples: its type, then (when there are samples) the first one's reference and time. */
  private static void startSamples(EncodeBuffer out, int type, long[] refs, long[] timestamps, int n) {
    out.reset();
    out.putByte(type);
    if (n > 0) {
      out.putBE64(refs[0]);
      out.putBE64(timestamps[0]);
    }
  }

  /** Sample {@code i}'s reference and time as deltas against the first sample's. */
  private static void putRefAndTime(EncodeBuffer out, long[] refs, long[] timestamps, int i) {
    out.putVarint(refs[i] - refs[0]);
    out.putVarint(timestamps[i] - timestamps[0]);
  }

  /**
   * Writes a float histogram sample record of the first {@code n} histograms into {@code out} (reset first): type 10
   * when the first one has custom buckets, else type 8. The histograms must all be of the first one's kind.
   *
   * @throws IllegalArgumentException if exponential and custom-bucket histograms are mixed
   */
  public static void encodeFloatHistogramSamples(EncodeBuffer out, long[] refs, long[] timestamps,
      FloatHistogram[] histograms, int n) {
    encodeHistograms(out, FLOAT_HISTOGRAM_SAMPLES, CUSTOM_BUCKETS_FLOAT_HISTOGRAM_SAMPLES, refs, timestamps,
        histograms, n);
  }

  /**
   * Writes an integer histogram sample record of the first {@code n} histograms into {@code out} (reset first): type 9
   * when the first one has custom buckets, else type 7 (as a scraping Prometheus writes them). The histograms must all
   * be of the first one's kind.
   *
   * @throws IllegalArgumentException if exponential and custom-bucket histograms are mixed
   */
  public static void encodeHistogramSamples(EncodeBuffer out, long[] refs, long[] timestamps, Histogram[] histograms,
      int n) {
    encodeHistograms(out, HISTOGRAM_SAMPLES, CUSTOM_BUCKETS_HISTOGRAM_SAMPLES, refs, timestamps, histograms, n);
  }

  /** The histogram record of either kind: the same fields, counts and buckets as the kind stores them. */
  private static void encodeHistograms(EncodeBuffer out, int type, int customType, long[] refs, long[] timestamps,
      NativeHistogram[] histograms, int n) {
    boolean custom = n > 0 && histograms[0].schema() == Histogram.CUSTOM_BUCKETS_SCHEMA;
    startSamples(out, custom ? customType : type, refs, timestamps, n);
    for (int i = 0; i < n; i++) {
      NativeHistogram h = histograms[i];
      if ((h.schema() == Histogram.CUSTOM_BUCKETS_SCHEMA) != custom) {
        throw new IllegalArgumentException("a record holds either custom-bucket or exponential histograms");
      }
      putRefAndTime(out, refs, timestamps, i);
      out.putByte(h.counterResetHint().ordinal());
      out.putVarint(h.schema());
      putDouble(out, h.zeroThreshold());
      switch (h) {
        case FloatHistogram f -> {
          putDouble(out, f.zeroCount());
          putDouble(out, f.count());
        }
        case Histogram g -> {
          out.putUvarint(g.zeroCount());
          out.putUvarint(g.count());
        }
      }
      putDouble(out, h.sum());
      putSpans(out, h.positiveSpans());
      putSpans(out, h.negativeSpans());
      switch (h) {
        case FloatHistogram f -> {
          putDoubles(out, f.positiveBuckets());
          putDoubles(out, f.negativeBuckets());
        }
        case Histogram g -> {
          putDeltas(out, g.positiveBucketDeltas());
          putDeltas(out, g.negativeBucketDeltas());
        }
      }
      if (custom) {
        putDoubles(out, h.customValues());
      }
    }
  }

  private static void putDeltas(EncodeBuffer out, long[] deltas) {
    out.putUvarint(deltas.length);
    for (long d : deltas) {
      out.putVarint(d);
    }
  }

  private static void putDouble(EncodeBuffer out, double v) {
    out.putBE64(Double.doubleToRawLongBits(v));
  }

  private static void putDoubles(EncodeBuffer out, double[] vs) {
    out.putUvarint(vs.length);
    for (double v : vs) {
      putDouble(out, v);
    }
  }

  private static void putSpans(EncodeBuffer out, Span[] spans) {
    out.putUvarint(spans.length);
    for (Span s : spans) {
      out.putVarint(s.offset());
      out.putUvarint(s.length());
    }
  }

  /**
   * Decodes the first {@code length} bytes of {@code record}; a malformed record is a {@link
   * dev.orrery.core.io.CorruptDataException} naming {@code resource} and the offset in the record.
   */
  public static void decode(byte[] record, int length, String resource, Visitor visitor) {
    DecodeBuffer d = new DecodeBuffer(ByteBuffer.wrap(record, 0, length), resource, 0);
    int type = d.u8();
    switch (type) {
      case SERIES -> {
        LabelsBuilder b = new LabelsBuilder();
        while (d.remaining() > 0) {
          long ref = d.be64();
          int count = d.uvarintInt();
          b.reset();
          for (int i = 0; i < count; i++) {
            int at = d.position();
            String name = d.uvarintString();
            String value = d.uvarintString();
            if (b.get(name) != null) {
              throw d.corrupt(at, "duplicate label " + name + " in series " + ref);
            }
            b.set(name, value);
          }
          visitor.series(ref, b.build());
        }
      }
      case SAMPLES -> forEachSample(d, (ref, t) -> visitor.sample(ref, t, Double.longBitsToDouble(d.be64())));
      case FLOAT_HISTOGRAM_SAMPLES, CUSTOM_BUCKETS_FLOAT_HISTOGRAM_SAMPLES -> forEachSample(d, (ref, t) ->
          visitor.floatHistogramSample(ref, t, floatHistogram(d, type == CUSTOM_BUCKETS_FLOAT_HISTOGRAM_SAMPLES)));
      case HISTOGRAM_SAMPLES, CUSTOM_BUCKETS_HISTOGRAM_SAMPLES -> forEachSample(d, (ref, t) ->
          visitor.histogramSample(ref, t, histogram(d, type == CUSTOM_BUCKETS_HISTOGRAM_SAMPLES)));
      case 0 -> throw d.corrupt(0, "WAL record of unknown type 0");
      default -> visitor.otherRecord(type);
    }
  }

  /** Reads a sample's value after its reference and time. */
  @FunctionalInterface
  private interface SampleValue {
    void read(long ref, long t);
  }

  /** Walks a sample record after its type: the first sample's reference and time, then each sample's deltas. */
  private static void forEachSample(DecodeBuffer d, SampleValue value) {
    if (d.remaining() == 0) {
      return;
    }
    long firstRef = d.be64();
    long firstT = d.be64();
    while (d.remaining() > 0) {
      long ref = firstRef + d.varint();
      long t = firstT + d.varint();
      value.read(ref, t);
    }
  }

  private static CounterResetHint hint(DecodeBuffer d, int at) {
    int hintCode = d.u8();
    if (hintCode >= HINTS.length) {
      throw d.corrupt(at, "unknown counter reset hint " + hintCode);
    }
    return HINTS[hintCode];
  }

  private static int schema(DecodeBuffer d, int at, boolean customRecord) {
    long schema = d.varint();
    if (schema < Histogram.CUSTOM_BUCKETS_SCHEMA || schema > 8) {
      throw d.corrupt(at, "histogram schema " + schema + " out of range");
    }
    if (customRecord && schema != Histogram.CUSTOM_BUCKETS_SCHEMA) {
      throw d.corrupt(at, "a custom-bucket histogram record holds schema " + schema);
    }
    return (int) schema;
  }

  private static Histogram histogram(DecodeBuffer d, boolean customRecord) {
    int at = d.position();
    CounterResetHint hint = hint(d, at);
    int schema = schema(d, at, customRecord);
    double zeroThreshold = getDouble(d);
    long zeroCount = d.uvarint();
    long count = d.uvarint();
    double sum = getDouble(d);
    Span[] positiveSpans = spans(d);
    Span[] negativeSpans = spans(d);
    long[] positive = deltas(d);
    long[] negative = deltas(d);
    // Prometheus versions before the custom-bucket record types wrote the bounds into type 7 records too.
    double[] customValues = schema == Histogram.CUSTOM_BUCKETS_SCHEMA ? doubles(d) : new double[0];
    return new Histogram(hint, schema, zeroThreshold, zeroCount, count, sum, positiveSpans, positive, negativeSpans,
        negative, customValues);
  }

  private static long[] deltas(DecodeBuffer d) {
    int at = d.position();
    int n = d.uvarintInt();
    if (n > d.remaining()) {
      throw d.corrupt(at, n + " buckets do not fit the " + d.remaining() + " bytes left");
    }
    long[] out = new long[n];
    for (int i = 0; i < n; i++) {
      out[i] = d.varint();
    }
    return out;
  }

  private static FloatHistogram floatHistogram(DecodeBuffer d, boolean customRecord) {
    int at = d.position();
    CounterResetHint hint = hint(d, at);
    int schema = schema(d, at, customRecord);
    double zeroThreshold = getDouble(d);
    double zeroCount = getDouble(d);
    double count = getDouble(d);
    double sum = getDouble(d);
    Span[] positiveSpans = spans(d);
    Span[] negativeSpans = spans(d);
    double[] positive = doubles(d);
    double[] negative = doubles(d);
    // Prometheus versions before the custom-bucket record types wrote the bounds into type 8 records too.
    double[] customValues = schema == Histogram.CUSTOM_BUCKETS_SCHEMA ? doubles(d) : new double[0];
    return new FloatHistogram(hint, schema, zeroThreshold, zeroCount, count, sum, positiveSpans,
        positive, negativeSpans, negative, customValues);
  }

  private static double getDouble(DecodeBuffer d) {
    return Double.longBitsToDouble(d.be64());
  }

  private static double[] doubles(DecodeBuffer d) {
    int at = d.position();
    int n = d.uvarintInt();
    if (n > d.remaining() / 8) {
      throw d.corrupt(at, n + " values do not fit the " + d.remaining() + " bytes left");
    }
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = getDouble(d);
    }
    return out;
  }

  private static Span[] spans(DecodeBuffer d) {
    int at = d.position();
    int n = d.uvarintInt();
    if (n > d.remaining() / 2) {
      throw d.corrupt(at, n + " spans do not fit the " + d.remaining() + " bytes left");
    }
    Span[] out = new Span[n];
    for (int i = 0; i < n; i++) {
      long offset = d.varint();
      long length = d.uvarint32();
      if (offset < Integer.MIN_VALUE || offset > Integer.MAX_VALUE || length > Integer.MAX_VALUE) {
        throw d.corrupt(at, "span " + i + " out of range");
      }
      out[i] = new Span((int) offset, (int) length);
    }
    return out;
  }
}
