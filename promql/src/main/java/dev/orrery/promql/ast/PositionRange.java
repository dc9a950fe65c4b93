package dev.orrery.promql.ast;

/**
 * A half-open range {@code [start, end)} of byte offsets into the UTF-8 query text, as Prometheus'
 * {@code posrange.PositionRange}. Synthetic nodes that never came from text use {@link #NONE}.
 *
 * @param start offset of the first byte of the node
 * @param end offset just past the last byte of the node
 */
public record PositionRange(int start, int end) {
  /** The range of a node that has no position in any query text ({@code -1, -1}). */
  public static final PositionRange NONE = new PositionRange(-1, -1);

  /** Checks {@code start <= end}. */
  public PositionRange {
    if (start > end) {
      throw new IllegalArgumentException("start " + start + " must be <= end " + end);
    }
  }

  /** The smallest range that covers this one and {@code other}. */
  public PositionRange union(PositionRange other) {
    if (this.equals(NONE)) {
      return other;
    }
    if (other.equals(NONE)) {
      return this;
    }
    return new PositionRange(Math.min(start, other.start), Math.max(end, other.end));
  }
}
