package dev.orrery.core.chunk;

import dev.orrery.core.histogram.FloatHistogram;
import dev.orrery.core.histogram.Histogram;

/**
 * Decodes an {@link Xor2Chunk} (FORMATS.md 2.4). Confined to one thread.
 *
 * <p>Samples 0 and 1 are coded as in XOR (with the XOR2 value code for sample 1). From sample 2 on a joint prefix
 * says: {@code 0} same time step and value; {@code 10} same time step, changed value ({@code 0} + reused window or
 * {@code 1} + new window); {@code 110}/{@code 1110}/{@code 11110} a 13-bit, 20-bit or 64-bit two's-complement dod, then
 * the XOR2 value code ({@code 0} unchanged, {@code 10} reused window, {@code 110} new window, {@code 111} stale NaN);
 * {@code 11111} same time step, stale NaN. The XOR baseline is the last value that was not a stale marker. Optional
 * start timestamp fields follow the samples as described in {@link Xor2Chunk}.
 */
final class Xor2Iterator extends StreamSampleIterator {
  private final int[] window = new int[2];
  private boolean firstSTKnown;
  private int firstSTChangeOn;

  private long st;
  private long stDiff;
  private long vBits;
  /** Raw bits of the last value that was not a stale marker. */
  private long baseline;

  Xor2Iterator() {
    super(ValueType.FLOAT);
  }

  void reset(Xor2Chunk chunk, int stHeader) {
    start(chunk, Xor2Chunk.HEADER_BYTES, chunk.numSamples());
    firstSTKnown = (stHeader & 0x80) != 0;
    firstSTChangeOn = stHeader & 0x7F;
    st = 0;
    stDiff = 0;
    vBits = 0;
    baseline = 0;
    window[0] = 0;
    window[1] = 0;
  }

  @Override
  void readSample() {
    if (numRead == 0) {
      readFirst();
    } else if (numRead == 1) {
      readSecond();
    } else {
      readLater();
    }
  }

  private void readFirst() {
    BitReader r = reader;
    t = r.readVarint();
    vBits = r.readBits(64);
    if (vBits != STALE_NAN) {
      baseline = vBits;
    }
    if (firstSTKnown) {
      st = t - r.readVarint();
    }
  }

  private void readSecond() {
    BitReader r = reader;
    long prevT = t;
    tDelta = r.readUvarint();
    t += tDelta;
    readValue(r);
    if (firstSTChangeOn == 1) {
      stDiff = r.readVarbitInt();
      st = prevT - stDiff;
    }
  }

  private void readLater() {
    BitReader r = reader;
    long prevT = t;
    r.checkNotPastEnd();
    int ones = Long.numberOfLeadingZeros(~r.peek());
    switch (ones) {
      case 0 -> {
        r.skip(1);
        t += tDelta;
        vBits = baseline;
      }
      case 1 -> {
        r.skip(2);
        t += tDelta;
        readChangedValue(r);
      }
      case 2 -> {
        r.skip(3);
        readDod(r, 13);
        readValue(r);
      }
      case 3 -> {
        r.skip(4);
        readDod(r, 20);
        readValue(r);
      }
      case 4 -> {
        r.skip(5);
        readDod(r, 64);
        readValue(r);
      }
      default -> {
        r.skip(5);
        t += tDelta;
        vBits = STALE_NAN;
      }
    }
    if (firstSTChangeOn > 0 && numRead >= firstSTChangeOn) {
      long d = r.readVarbitInt();
      stDiff = numRead == firstSTChangeOn ? d : stDiff + d;
      st = prevT - stDiff;
    }
  }

  /** A two's-complement dod of {@code width} bits. */
  private void readDod(BitReader r, int width) {
    long u = r.readBits(width);
    long dod = width < 64 && u >= (1L << (width - 1)) ? u - (1L << width) : u;
    tDelta += dod;
    t += tDelta;
  }

  /** The XOR2 value code: {@code 0} unchanged, {@code 10} reused window, {@code 110} new window, {@code 111} stale. */
  private void readValue(BitReader r) {
    r.checkNotPastEnd();
    long w = r.peek();
    if (w >= 0) {
      r.skip(1);
      vBits = baseline;
    } else if ((w << 1) >= 0) {
      r.skip(2);
      reuseWindow(r);
    } else if ((w << 2) >= 0) {
      r.skip(3);
      newWindow(r);
    } else {
      r.skip(3);
      vBits = STALE_NAN;
    }
  }

  /** After {@code 10} at an unchanged time step: {@code 0} reused window or {@code 1} new window. */
  private void readChangedValue(BitReader r) {
    if (r.readBit()) {
      newWindow(r);
    } else {
      reuseWindow(r);
    }
  }

  private void reuseWindow(BitReader r) {
    int trailing = window[1];
    vBits = baseline ^ (r.readBits(64 - window[0] - trailing) << trailing);
    baseline = vBits;
  }

  private void newWindow(BitReader r) {
    int leading = (int) r.readBits(5);
    int sig = (int) r.readBits(6);
    if (sig == 0) {
      sig = 64;
    }
    int trailing = 64 - leading - sig;
    if (trailing < 0) {
      throw r.corrupt(r.position(), "corrupt XOR2 value in chunk",
          "window of " + leading + " leading zeros and " + sig + " significant bits exceeds 64 bits");
    }
    window[0] = leading;
    window[1] = trailing;
    vBits = baseline ^ (r.readBits(sig) << trailing);
    baseline = vBits;
  }

  @Override
  public long atST() {
    return st;
  }

  @Override
  public double atV() {
    return Double.longBitsToDouble(vBits);
  }

  @Override
  public Histogram atHistogram() {
    throw new IllegalStateException("an XOR2 chunk holds float samples only");
  }

  @Override
  public FloatHistogram atFloatHistogram() {
    throw new IllegalStateException("an XOR2 chunk holds float samples only");
  }
}
