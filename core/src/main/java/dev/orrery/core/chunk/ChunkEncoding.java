package dev.orrery.core.chunk;

/** Chunk encodings with their byte values in segment files (FORMATS.md 2.1, Prometheus' {@code chunkenc.Encoding}). */
public enum ChunkEncoding {
  /** Gorilla XOR float chunk. */
  XOR(1),
  /** Integer native histogram chunk. */
  HISTOGRAM(2),
  /** Float native histogram chunk. */
  FLOAT_HISTOGRAM(3),
  /** XOR with optional start timestamps (Prometheus 3.11+). */
  XOR2(4),
  /** Histogram with start timestamps. */
  HISTOGRAM_ST(5),
  /** Float histogram with start timestamps. */
  FLOAT_HISTOGRAM_ST(6),
  /** Thanos downsampled aggregate chunk. */
  AGGR(255);

  private final int code;

  ChunkEncoding(int code) {
    this.code = code;
  }

  /** The byte stored in segment files and on the wire. */
  public int code() {
    return code;
  }

  /** The encoding for byte {@code code}, or {@code null} if the byte names no known encoding. */
  public static ChunkEncoding fromCode(int code) {
    return switch (code) {
      case 1 -> XOR;
      case 2 -> HISTOGRAM;
      case 3 -> FLOAT_HISTOGRAM;
      case 4 -> XOR2;
      case 5 -> HISTOGRAM_ST;
      case 6 -> FLOAT_HISTOGRAM_ST;
      case 255 -> AGGR;
      default -> null;
    };
  }
}
