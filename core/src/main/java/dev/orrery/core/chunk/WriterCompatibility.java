package dev.orrery.core.chunk;

/**
 * Which Prometheus bit writer an encoder imitates byte for byte (FORMATS.md 2.2). The bits are the same; only the
 * length of some chunks differs.
 */
public enum WriterCompatibility {
  /**
   * Prometheus 3.0 and later: the chunk is exactly the header plus the bit stream padded to a whole byte. Orrery writes
   * this form by default.
   */
  PROMETHEUS_3,
  /**
   * Prometheus 2.x: when the stream ends on a byte boundary and its last write was a whole number of bytes, the chunk
   * carries one extra {@code 00} byte (the spare byte the 2.x writer appended). Use it to compare with chunks written by
   * promtool or Prometheus 2.x.
   */
  PROMETHEUS_2
}
