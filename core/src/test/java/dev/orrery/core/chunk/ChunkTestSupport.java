package dev.orrery.core.chunk;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Small shared pieces of the chunk tests. */
final class ChunkTestSupport {
  static final long STALE_NAN = 0x7ff0000000000002L;
  static final long NORMAL_NAN = 0x7ff8000000000001L;

  private ChunkTestSupport() {}

  /** A float sample by raw value bits. */
  record FloatSample(long t, long bits) {
    @Override
    public String toString() {
      return t + "=" + Long.toHexString(bits);
    }
  }

  static List<FloatSample> pairs(long[] flat) {
    List<FloatSample> out = new ArrayList<>();
    for (int i = 0; i < flat.length; i += 2) {
      out.add(new FloatSample(flat[i], flat[i + 1]));
    }
    return out;
  }

  static byte[] encodeXor(List<FloatSample> samples, WriterCompatibility compatibility) {
    XorAppender a = new XorAppender(compatibility);
    for (FloatSample s : samples) {
      a.appendBits(s.t(), s.bits());
    }
    return a.bytes();
  }

  /** Every float sample of {@code chunk}, by raw bits. */
  static List<FloatSample> decodeFloats(Chunk chunk) {
    List<FloatSample> out = new ArrayList<>();
    SampleIterator it = chunk.iterator(null);
    while (it.next() == ValueType.FLOAT) {
      out.add(new FloatSample(it.atT(), Double.doubleToRawLongBits(it.atV())));
    }
    return out;
  }

  static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  static byte[] unhex(String hex) {
    return HexFormat.of().parseHex(hex);
  }
}
