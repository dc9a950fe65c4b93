package dev.orrery.core.chunk;

/**
 * Reads the optional start timestamp (ST) fields of the ST histogram chunks (encodings 5 and 6, FORMATS.md 2.8), which
 * follow each sample: sample 0 {@code varint(t0 - st0)} if {@code firstSTKnown}; sample 1 {@code varbit_int(t0 - st1)}
 * if {@code firstSTChangeOn == 1}; sample n >= 2 with {@code n >= firstSTChangeOn > 0} a {@code varbit_int} of
 * {@code t(n-1) - st(n)}, absolute at {@code firstSTChangeOn} and a delta afterwards. Samples without a field repeat the
 * previous ST. Confined to one thread.
 */
final class StartTimestampDecoder {
  private boolean firstKnown;
  private int firstChangeOn;
  private long st;
  private long stDiff;

  /** Resets to the state given by the ST header byte. */
  void reset(int headerByte) {
    firstKnown = (headerByte & 0x80) != 0;
    firstChangeOn = headerByte & 0x7F;
    st = 0;
    stDiff = 0;
  }

  /** Reads the ST field, if any, of sample {@code index} (0-based) at time {@code t}; previous sample at {@code prevT}. */
  void read(BitReader r, int index, long t, long prevT) {
    if (index == 0) {
      if (firstKnown) {
        stDiff = r.readVarint();
        st = t - stDiff;
      }
    } else if (index == 1) {
      if (firstChangeOn == 1) {
        stDiff = r.readVarbitInt();
        st = prevT - stDiff;
      }
    } else if (firstChangeOn > 0 && index >= firstChangeOn) {
      long d = r.readVarbitInt();
      stDiff = index == firstChangeOn ? d : stDiff + d;
      st = prevT - stDiff;
    }
  }

  long st() {
    return st;
  }
}
