package dev.orrery.core.chunk;

/**
 * An XOR2 encoder for the tests (Orrery reads XOR2 but does not write it), making the writes of Prometheus'
 * {@code xor2Appender}: joint timestamp/value prefixes from sample 2 on, stale NaN codes that keep the XOR baseline,
 * and start timestamp fields as in FORMATS.md 2.4.
 */
final class Xor2TestAppender {
  private static final long STALE_NAN = 0x7ff0000000000002L;

  private final BitWriter w = new BitWriter(Xor2Chunk.HEADER_BYTES);
  private final int[] window = {BitWriter.XOR_UNSET, 0};
  private int num;
  private long st;
  private long t;
  private long baseline;
  private long tDelta;
  private long stDiff;
  private int firstSTChangeOn;

  void append(long st, long t, long v) {
    boolean stale = v == STALE_NAN;
    long newTDelta = 0;
    long newStDiff = 0;
    if (num == 0) {
      w.writeVarint(t);
      w.writeBits(v, 64);
      if (st != 0) {
        w.writeVarint(t - st);
        w.setHeaderByte(2, 0x80);
      }
    } else if (num == 1) {
      newTDelta = t - this.t;
      w.writeUvarint(newTDelta);
      writeValue(v);
      if (st != this.st) {
        newStDiff = this.t - st;
        firstSTChangeOn = 1;
        w.setHeaderByte(2, w.headerByte(2) | 1);
        w.writeVarbitInt(newStDiff);
      }
    } else {
      newTDelta = t - this.t;
      long dod = newTDelta - tDelta;
      writeJoint(dod, v);
      if (firstSTChangeOn > 0) {
        newStDiff = this.t - st;
        w.writeVarbitInt(newStDiff - stDiff);
      } else if (st != this.st || num == StartTimestampEncoder.MAX_FIRST_CHANGE_ON) {
        newStDiff = this.t - st;
        firstSTChangeOn = num;
        w.setHeaderByte(2, w.headerByte(2) | num);
        w.writeVarbitInt(newStDiff);
      }
    }
    if (!stale) {
      baseline = v;
    }
    this.st = st;
    this.t = t;
    tDelta = newTDelta;
    stDiff = newStDiff;
    num++;
  }

  private void writeJoint(long dod, long v) {
    if (dod == 0) {
      if (v == STALE_NAN) {
        w.writeBits(0b11111, 5);
        return;
      }
      long delta = v ^ baseline;
      if (delta == 0) {
        w.writeBits(0, 1);
        return;
      }
      w.writeBits(0b10, 2);
      writeWindow(delta, 1, 0b0, 0b1);
      return;
    }
    if (dod >= -4096 && dod <= 4095) {
      w.writePrefixed(0b110, 3, dod, 13);
    } else if (dod >= -(1 << 19) && dod <= (1 << 19) - 1) {
      w.writePrefixed(0b1110, 4, dod, 20);
    } else {
      w.writeBits(0b11110, 5);
      w.writeBits(dod, 64);
    }
    if (v == baseline) {
      w.writeBits(0, 1);
    } else {
      writeValue(v);
    }
  }

  private void writeValue(long v) {
    if (v == STALE_NAN) {
      w.writeBits(0b111, 3);
      return;
    }
    long delta = v ^ baseline;
    if (delta == 0) {
      w.writeBits(0, 1);
      return;
    }
    writeWindow(delta, 3, 0b10, 0b110);
  }

  /** Reused window: {@code reuse} prefix; new window: {@code fresh} prefix, both {@code prefixBits} wide except reuse. */
  private void writeWindow(long delta, int newPrefixBits, int reusePrefix, int newPrefix) {
    int lz = Math.min(Long.numberOfLeadingZeros(delta), 31);
    int tz = Long.numberOfTrailingZeros(delta);
    if (lz >= window[0] && tz >= window[1]) {
      w.writeBits(reusePrefix, newPrefixBits == 3 ? 2 : 1);
      w.writeBits(delta >>> window[1], 64 - window[0] - window[1]);
      return;
    }
    window[0] = lz;
    window[1] = tz;
    int sig = 64 - lz - tz;
    w.writeBits(newPrefix, newPrefixBits);
    w.writeBits(lz, 5);
    w.writeBits(sig, 6);
    w.writeBits(delta >>> tz, sig);
  }

  byte[] bytes() {
    w.setHeaderByte(0, num >>> 8);
    w.setHeaderByte(1, num);
    return w.toByteArray();
  }
}
