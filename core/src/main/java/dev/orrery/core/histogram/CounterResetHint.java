package dev.orrery.core.histogram;

/** What a histogram sample says about counter resets (Prometheus' {@code histogram.CounterResetHint}). */
public enum CounterResetHint {
  /** Unknown whether a reset happened; compare with the previous sample. */
  UNKNOWN,
  /** A counter reset happened before this sample. */
  COUNTER_RESET,
  /** Definitely no counter reset. */
  NOT_COUNTER_RESET,
  /** A gauge histogram: resets are meaningless. */
  GAUGE
}
