package dev.orrery.core.chunk;

import static jdk.incubator.vector.VectorOperators.EQ;
import static jdk.incubator.vector.VectorOperators.GT;
import static jdk.incubator.vector.VectorOperators.L2I;
import static jdk.incubator.vector.VectorOperators.LEADING_ZEROS_COUNT;
import static jdk.incubator.vector.VectorOperators.LSHL;
import static jdk.incubator.vector.VectorOperators.LSHR;
import static jdk.incubator.vector.VectorOperators.LT;
import static jdk.incubator.vector.VectorOperators.XOR;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector loop of {@link XorChunkLanes}: decodes samples 2 onwards of {@value XorLaneState#LANES} XOR streams at
 * once, one stream per 64-bit lane, in two groups of eight whose steps alternate so that one group's loads overlap the
 * other's arithmetic. Every lane runs the same instructions whatever its codes are (no data-dependent branch), so the
 * cost per sample does not depend on how predictable the data is.
 *
 * <p>A lane reads its stream from {@link XorLaneState#words}, where word {@code i} holds bits {@code [32i, 32i + 64)}
 * of the streams laid end to end: the two words gathered at index {@code position >>> 5} and {@code + 2} give at least
 * 97 bits from the position, which covers any sample whose dod takes at most 17 bits. A lane that meets a wider dod
 * (the scrape interval changing by more than 65 s) or an impossible value window is sent to position 0, where only
 * zeros follow, and {@link #decode} reports it; so does a lane that ends past its stream. Lanes past their last
 * sample decode the zeros after their stream, two bits a sample.
 *
 * <p>Timestamps and values of sample {@code k - 1} and {@code k - 2} are read back from the output rows, so the state
 * carried from one sample to the next is only the position and the value window.
 *
 * <p>Only loaded when the {@code jdk.incubator.vector} module is present (see {@link XorChunkLanes#vectorized()}).
 */
final class XorLaneKernel {
  private static final VectorSpecies<Long> LONGS = LongVector.SPECIES_512;
  private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_256;
  private static final VectorSpecies<Byte> BYTES = ByteVector.SPECIES_512;
  private static final int GROUP = 8;
  /** Eight overlapping big-endian words from 36 bytes: word {@code i} is bytes {@code [4i, 4i + 8)}, byte-reversed. */
  private static final VectorShuffle<Byte> WORDS_FROM_BYTES =
      VectorShuffle.fromOp(BYTES, lane -> 4 * (lane >>> 3) + 7 - (lane & 7));
  // By the number of leading 1 bits of a timestamp code ('0', '10', '110'; the rest go to the scalar decoder): the
  // code's length, the shift that right-aligns its dod field, the number of values the field holds, and half that.
  private static final LongVector TS_LENGTH = table(1, 16, 20);
  private static final LongVector FIELD_SHIFT = table(0, 50, 47);
  private static final LongVector SPAN = table(0, 1 << 14, 1 << 17);
  private static final LongVector HALF = table(0, 1 << 13, 1 << 16);

  private XorLaneKernel() {}

  private static LongVector table(long... values) {
    long[] lanes = new long[GROUP];
    System.arraycopy(values, 0, lanes, 0, values.length);
    return LongVector.fromArray(LONGS, lanes, 0);
  }

  /** Whether this CPU runs 512-bit vectors natively (otherwise the scalar decoder is faster). */
  static boolean supported() {
    return LongVector.SPECIES_PREFERRED.vectorBitSize() >= 512;
  }

  /**
   * Lays out a stream as words (see the class comment): {@code words} words from {@code base} from {@code bytes}, which
   * must hold {@code 4 * words + 64} bytes; writes up to seven words more.
   */
  static void fillWords(byte[] bytes, long[] out, int base, int words) {
    for (int i = 0; i < words; i += 8) {
      ByteVector.fromArray(BYTES, bytes, 4 * i).rearrange(WORDS_FROM_BYTES).reinterpretAsLongs()
          .intoArray(out, base + i);
    }
  }

  /**
   * Decodes samples {@code [2, maxCount)} of lanes {@code [0, lanes)}; returns a bit mask of the lanes that must be
   * decoded again.
   *
   * <p>One loop turn decodes one sample of one group of eight lanes, then swaps in the other group's state: a group's
   * next sample depends only on its own previous one, so the processor overlaps the two groups' turns.
   */
  static int decode(XorLaneState s, int maxCount, int lanes) {
    long[] words = s.words;
    long[] times = s.times;
    long[] valueBits = s.valueBits;
    int[] map = new int[GROUP];
    int[] otherMap = new int[GROUP];
    int g = 0;
    LongVector p = LongVector.fromArray(LONGS, s.pos, 0);
    LongVector size = LongVector.fromArray(LONGS, s.sizeLessOne, 0);
    LongVector trailing = LongVector.fromArray(LONGS, s.trailing, 0);
    LongVector otherP = LongVector.fromArray(LONGS, s.pos, GROUP);
    LongVector otherSize = LongVector.fromArray(LONGS, s.sizeLessOne, GROUP);
    LongVector otherTrailing = LongVector.fromArray(LONGS, s.trailing, GROUP);
    // With eight lanes or fewer, the second group holds no stream and is left out.
    int groupShift = lanes > GROUP ? 1 : 0;
    for (int turn = 2 << groupShift, end = maxCount << groupShift; turn < end; turn++) {
      int k = turn >>> groupShift;
      ((IntVector) p.lanewise(LSHR, 5).convertShape(L2I, INTS, 0)).intoArray(map, 0);
      LongVector hi = LongVector.fromArray(LONGS, words, 0, map, 0);
      LongVector next = LongVector.fromArray(LONGS, words, 2, map, 0);
      LongVector shift = p.and(31);
      // w0: the 64 bits at the position; w1: the bits after them (at least 33 valid). Shift counts are taken mod 64,
      // so x >>> -n shifts by 64 - n.
      LongVector w0 = hi.lanewise(LSHL, shift)
          .or(next.lanewise(LSHR, 1).lanewise(LSHR, shift.lanewise(XOR, 63)));
      LongVector w1 = next.lanewise(LSHL, shift);

      // Timestamp: '0' (dod 0), '10' + 14 bits, '110' + 17 bits.
      LongVector ones = w0.not().lanewise(LEADING_ZEROS_COUNT);
      VectorMask<Long> redo = ones.compare(GT, 2);
      LongVector code = ones.and(7);
      LongVector tsLength = code.selectFrom(TS_LENGTH);
      LongVector raw = w0.lanewise(LSHL, ones.add(1))
          .lanewise(LSHR, code.selectFrom(FIELD_SHIFT));
      // Go's bit-width decoding: values above half the span are negative.
      LongVector dod = raw.sub(code.selectFrom(SPAN), raw.compare(GT, code.selectFrom(HALF)))
          .blend(0, ones.compare(EQ, 0));
      // t[k] = t[k-1] + (t[k-1] - t[k-2]) + dod
      LongVector previous = LongVector.fromArray(LONGS, times, (k - 1) * XorLaneState.LANES + g);
      LongVector beforePrevious = LongVector.fromArray(LONGS, times, (k - 2) * XorLaneState.LANES + g);
      LongVector time = previous.add(previous).sub(beforePrevious).add(dod);

      // Value: '0' (unchanged), '10' (the window again), '11' + 5 bits leading zeros + 6 bits size (0 means 64). Sizes
      // are kept less one, so that 64 fits six bits and x >>> (size ^ 63) keeps the top size + 1 bits.
      LongVector v = w0.lanewise(LSHL, tsLength).or(w1.lanewise(LSHR, tsLength.neg()));
      VectorMask<Long> changed = v.compare(LT, 0);
      VectorMask<Long> newWindow = v.lanewise(LSHR, 62).compare(EQ, 3);
      LongVector leading = v.lanewise(LSHR, 57).and(31);
      LongVector newSize = v.lanewise(LSHR, 51).sub(1).and(63);
      LongVector newTrailing = leading.lanewise(XOR, 63).sub(newSize);
      redo = redo.or(newTrailing.compare(LT, 0).and(newWindow));
      size = size.blend(newSize, newWindow);
      trailing = trailing.blend(newTrailing, newWindow);
      LongVector head = LongVector.broadcast(LONGS, 2).blend(13, newWindow);
      LongVector at = tsLength.add(head);
      LongVector window = w0.lanewise(LSHL, at)
          .or(w1.lanewise(LSHR, at.neg()))
          .lanewise(LSHR, size.lanewise(XOR, 63));
      LongVector bits = LongVector.fromArray(LONGS, valueBits, (k - 1) * XorLaneState.LANES + g)
          .lanewise(XOR, window.lanewise(LSHL, trailing), changed);

      LongVector nextP = p.add(tsLength.add(1).add(head.add(size), changed)).blend(0, redo);
      time.intoArray(times, k * XorLaneState.LANES + g);
      bits.intoArray(valueBits, k * XorLaneState.LANES + g);
      if (groupShift == 0) {
        p = nextP;
        continue;
      }
      p = otherP;
      otherP = nextP;
      LongVector swap = size;
      size = otherSize;
      otherSize = swap;
      swap = trailing;
      trailing = otherTrailing;
      otherTrailing = swap;
      int[] swapMap = map;
      map = otherMap;
      otherMap = swapMap;
      g ^= GROUP;
    }
    // After an even number of turns, group 0's state is current again.
    p.intoArray(s.pos, 0);
    if (groupShift == 1) {
      otherP.intoArray(s.pos, GROUP);
    }
    int redo = 0;
    for (int lane = 0; lane < XorLaneState.LANES; lane++) {
      if (s.pos[lane] < s.start[lane] || s.pos[lane] > s.limit[lane]) {
        redo |= 1 << lane;
      }
    }
    return redo;
  }
}
