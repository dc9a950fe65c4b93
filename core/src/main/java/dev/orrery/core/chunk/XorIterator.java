package dev.orrery.core.chunk;

import dev.orrery.core.histogram.FloatHistogram;
import dev.orrery.core.histogram.Histogram;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Decodes an {@link XorChunk} (FORMATS.md 2.3). The hot path reads the stream with one 64-bit load per field group and
 * checks for a truncated stream once per sample.
 *
 * <p>Confined to one thread.
 */
final class XorIterator implements SampleIterator {
  private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private final BitReader reader = new BitReader();
  private int numTotal;
  private int numRead;
  private boolean exhausted;
  private long t;
  private long tDelta;
  private long vBits;
  private int leading;
  private int trailing;

  void reset(XorChunk chunk) {
    chunk.resetReader(reader, XorChunk.HEADER_BYTES);
    numTotal = chunk.numSamples();
    numRead = 0;
    exhausted = numTotal == 0;
    t = 0;
    tDelta = 0;
    vBits = 0;
    leading = 0;
    trailing = 0;
  }

  @Override
  public ValueType next() {
    if (exhausted) {
      return ValueType.NONE;
    }
    int n = numRead;
    if (n == numTotal) {
      exhausted = true;
      return ValueType.NONE;
    }
    if (n >= 2) {
      readSample();
    } else if (n == 0) {
      readFirst();
    } else {
      readSecond();
    }
    numRead = n + 1;
    return ValueType.FLOAT;
  }

  private void readFirst() {
    BitReader r = reader;
    t = r.readVarint();
    vBits = r.readBits(64);
    checkSample(r);
  }

  private void readSecond() {
    BitReader r = reader;
    tDelta = r.readUvarint();
    t += tDelta;
    r.checkNotPastEnd();
    r.pos = readValue(r.buf, r.pos);
    checkSample(r);
  }

  private void readSample() {
    BitReader r = reader;
    byte[] b = r.buf;
    int p = r.pos;
    long w = (long) LONG_BE.get(b, p >>> 3) << (p & 7);
    if (w >= 0) {
      // dod == 0: the common case for regular scrape intervals, one bit.
      p++;
    } else {
      long dod;
      switch (Long.numberOfLeadingZeros(~w)) {
        case 1 -> {
          long u = (w << 2) >>> 50;
          dod = u > 8192 ? u - 16384 : u;
          p += 16;
        }
        case 2 -> {
          long u = (w << 3) >>> 47;
          dod = u > 65536 ? u - 131072 : u;
          p += 20;
        }
        case 3 -> {
          long u = (w << 4) >>> 44;
          dod = u > 524288 ? u - 1048576 : u;
          p += 24;
        }
        default -> {
          dod = read64(b, p + 4);
          p += 68;
        }
      }
      tDelta += dod;
    }
    t += tDelta;
    r.pos = readValue(b, p);
    checkSample(r);
  }

  /** Decodes one XOR value code at bit {@code p}; returns the position after it. */
  private int readValue(byte[] b, int p) {
    long w = (long) LONG_BE.get(b, p >>> 3) << (p & 7);
    if (w >= 0) {
      return p + 1;
    }
    if ((w << 1) >= 0) {
      // '10': reuse the window.
      int tr = trailing;
      int size = 64 - leading - tr;
      long m;
      if (size <= 55) {
        m = (w << 2) >>> (64 - size);
      } else {
        m = readWide(b, p + 2, size);
      }
      vBits ^= m << tr;
      return p + 2 + size;
    }
    // '11': a new window: 5 bits leading zeros, 6 bits significant bits (0 means 64).
    int lead = (int) ((w << 2) >>> 59);
    int sig = (int) ((w << 7) >>> 58);
    if (sig == 0) {
      sig = 64;
    }
    int tr = 64 - lead - sig;
    if (tr < 0) {
      throw reader.corrupt(p, "corrupt XOR value in chunk",
          "window of " + lead + " leading zeros and " + sig + " significant bits exceeds 64 bits at sample " + numRead);
    }
    long m;
    if (sig <= 44) {
      m = (w << 13) >>> (64 - sig);
    } else {
      m = readWide(b, p + 13, sig);
    }
    vBits ^= m << tr;
    leading = lead;
    trailing = tr;
    return p + 13 + sig;
  }

  /** Reads {@code n} bits, {@code 32 < n <= 64}, at bit {@code p}. */
  private static long readWide(byte[] b, int p, int n) {
    long hi = ((long) LONG_BE.get(b, p >>> 3) << (p & 7)) >>> 32;
    int q = p + 32;
    long lo = ((long) LONG_BE.get(b, q >>> 3) << (q & 7)) >>> (96 - n);
    return (hi << (n - 32)) | lo;
  }

  private static long read64(byte[] b, int p) {
    return readWide(b, p, 64);
  }

  private void checkSample(BitReader r) {
    if (r.pos > r.limit) {
      exhausted = true;
      throw r.corrupt(r.limit, "chunk bit stream truncated",
          "sample " + numRead + " of " + numTotal + " needs more than the " + (r.limit >>> 3) + " bytes of the stream");
    }
  }

  @Override
  public ValueType seek(long target) {
    if (exhausted) {
      return ValueType.NONE;
    }
    if (numRead > 0 && t >= target) {
      return ValueType.FLOAT;
    }
    while (next() != ValueType.NONE) {
      if (t >= target) {
        return ValueType.FLOAT;
      }
    }
    return ValueType.NONE;
  }

  @Override
  public long atT() {
    return t;
  }

  @Override
  public double atV() {
    return Double.longBitsToDouble(vBits);
  }

  int leading() {
    return leading;
  }

  int trailing() {
    return trailing;
  }

  /** Raw IEEE-754 bits of the current value. */
  long atVBits() {
    return vBits;
  }

  @Override
  public Histogram atHistogram() {
    throw new IllegalStateException("an XOR chunk holds float samples only");
  }

  @Override
  public FloatHistogram atFloatHistogram() {
    throw new IllegalStateException("an XOR chunk holds float samples only");
  }
}
