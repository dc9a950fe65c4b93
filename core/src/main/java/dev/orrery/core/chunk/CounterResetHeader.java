package dev.orrery.core.chunk;

import dev.orrery.core.histogram.CounterResetHint;

/**
 * The 2-bit counter-reset header of histogram chunks (FORMATS.md 2.6): {@code 10} a counter reset happened before this
 * chunk, {@code 01} definitely no reset, {@code 00} unknown, {@code 11} gauge histograms. Stored in the top two bits of
 * a header byte.
 */
final class CounterResetHeader {
  static final int MASK = 0xC0;

  private CounterResetHeader() {}

  static CounterResetHint decode(int headerByte) {
    return switch (headerByte & MASK) {
      case 0x80 -> CounterResetHint.COUNTER_RESET;
      case 0x40 -> CounterResetHint.NOT_COUNTER_RESET;
      case 0xC0 -> CounterResetHint.GAUGE;
      default -> CounterResetHint.UNKNOWN;
    };
  }

  static int encode(CounterResetHint hint) {
    return switch (hint) {
      case COUNTER_RESET -> 0x80;
      case NOT_COUNTER_RESET -> 0x40;
      case GAUGE -> 0xC0;
      case UNKNOWN -> 0;
    };
  }

  /**
   * The hint of sample {@code index} of a chunk with {@code header} (Prometheus' {@code counterResetHint}): every sample
   * of a gauge chunk is a gauge; after the first sample there is no reset; the first sample carries a reset only if the
   * header says so, and is otherwise unknown (the previous chunk may be gone, so "no reset" cannot be promised).
   */
  static CounterResetHint sampleHint(CounterResetHint header, int index) {
    if (header == CounterResetHint.GAUGE) {
      return CounterResetHint.GAUGE;
    }
    if (index > 0) {
      return CounterResetHint.NOT_COUNTER_RESET;
    }
    return header == CounterResetHint.COUNTER_RESET ? CounterResetHint.COUNTER_RESET : CounterResetHint.UNKNOWN;
  }
}
