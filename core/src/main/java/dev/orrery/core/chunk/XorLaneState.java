package dev.orrery.core.chunk;

/**
 * What {@link XorLaneKernel} works on: per lane, the stream position and value window between samples and where its
 * stream lies in {@link #words}; for all lanes, the decoded samples, sample {@code k} of lane {@code j} at
 * {@code k * LANES + j}. Positions are bit offsets into {@link #words}, where word {@code i} holds bits
 * {@code [32i, 32i + 64)} of all the streams laid end to end after a run of zero words. Confined to one thread.
 */
final class XorLaneState {
  static final int LANES = 16;

  final long[] pos = new long[LANES];
  /** Bit position where each stream starts: a lane found below it was sent back to the zero words. */
  final long[] start = new long[LANES];
  /** Bit position each lane may reach at most: its stream's end plus two bits for each sample it runs past its last. */
  final long[] limit = new long[LANES];
  /** The value window: significant bits less one, and trailing zeros. */
  final long[] sizeLessOne = new long[LANES];
  final long[] trailing = new long[LANES];
  long[] words = new long[1024];
  long[] times = new long[128 * LANES];
  long[] valueBits = new long[128 * LANES];
}
