package dev.orrery.core.chunk;

/**
 * Writes the optional start timestamp (ST) fields that {@link StartTimestampDecoder} reads, making the same choices as
 * Prometheus' {@code stEncoder}: an ST field for sample 0 only if its ST is not 0, the first change of ST recorded in
 * the header's 7-bit {@code firstSTChangeOn}, and ST fields forced from sample 127 on when none started earlier (the
 * header cannot name a later sample). Confined to one thread.
 */
final class StartTimestampEncoder {
  static final int MAX_FIRST_CHANGE_ON = 0x7F;

  private boolean firstKnown;
  private int firstChangeOn;
  private long st;
  private long stDiff;

  void reset() {
    firstKnown = false;
    firstChangeOn = 0;
    st = 0;
    stDiff = 0;
  }

  /**
   * Writes the ST field of sample {@code index} (0-based) with time {@code t}, previous sample at {@code prevT}, and
   * updates the ST header byte in {@code w} at {@code headerIndex}.
   */
  void write(BitWriter w, int headerIndex, int index, long t, long prevT, long st) {
    if (index == 0) {
      if (st != 0) {
        w.writeVarint(t - st);
        firstKnown = true;
        w.setHeaderByte(headerIndex, 0x80);
      }
    } else if (index == 1) {
      if (st != this.st) {
        long diff = prevT - st;
        firstChangeOn = 1;
        w.setHeaderByte(headerIndex, w.headerByte(headerIndex) | 1);
        w.writeVarbitInt(diff);
        stDiff = diff;
      }
    } else if (firstChangeOn == 0) {
      if (st != this.st || index == MAX_FIRST_CHANGE_ON) {
        long diff = prevT - st;
        firstChangeOn = index;
        w.setHeaderByte(headerIndex, w.headerByte(headerIndex) | index);
        w.writeVarbitInt(diff);
        stDiff = diff;
      }
    } else {
      long diff = prevT - st;
      w.writeVarbitInt(diff - stDiff);
      stDiff = diff;
    }
    this.st = st;
  }

  boolean firstKnown() {
    return firstKnown;
  }
}
