package dev.orrery.core.wal;

import dev.orrery.core.io.DecodeBuffer;
import dev.orrery.core.io.EncodeBuffer;
import dev.orrery.core.labels.Labels;
import dev.orrery.core.labels.LabelsBuilder;
import java.nio.ByteBuffer;

/**
 * The TSDB head's WAL records that carry float data: series records (type 1: per series a big-endian 64-bit
 * reference, then its labels as a uvarint count and uvarint-prefixed names and values) and sample records (type 2: the
 * first sample's reference and timestamp as big-endian 64-bit integers, then per sample the zig-zag varint deltas of
 * reference and timestamp against them and the value's IEEE-754 bits, big-endian). Other record types (tombstones,
 * exemplars, m-map markers, metadata, histogram samples) are passed over by {@link #decode} with their type.
 */
public final class WalRecords {
  /** Record type of series definitions. */
  public static final int SERIES = 1;
  /** Record type of float samples. */
  public static final int SAMPLES = 2;

  private WalRecords() {}

  /** What {@link #decode} finds in a record. */
  public interface Visitor {
    /** A series definition: {@code ref} names it in sample records. */
    void series(long ref, Labels labels);

    /** A float sample of series {@code ref}. */
    void sample(long ref, long timestampMillis, double value);

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
    out.reset();
    out.putByte(SAMPLES);
    if (n == 0) {
      return;
    }
    long firstRef = refs[0];
    long firstT = timestamps[0];
    out.putBE64(firstRef);
    out.putBE64(firstT);
    for (int i = 0; i < n; i++) {
      out.putVarint(refs[i] - firstRef);
      out.putVarint(timestamps[i] - firstT);
      out.putBE64(Double.doubleToRawLongBits(values[i]));
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
      case SAMPLES -> {
        if (d.remaining() == 0) {
          return;
        }
        long firstRef = d.be64();
        long firstT = d.be64();
        while (d.remaining() > 0) {
          long ref = firstRef + d.varint();
          long t = firstT + d.varint();
          visitor.sample(ref, t, Double.longBitsToDouble(d.be64()));
        }
      }
      case 0 -> throw d.corrupt(0, "WAL record of unknown type 0");
      default -> visitor.otherRecord(type);
    }
  }
}
