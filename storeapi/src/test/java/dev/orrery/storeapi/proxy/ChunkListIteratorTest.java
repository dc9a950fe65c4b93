package dev.orrery.storeapi.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orrery.core.chunk.FloatSamples;
import dev.orrery.core.chunk.SampleIterator;
import dev.orrery.core.chunk.ValueType;
import dev.orrery.core.chunk.XorAppender;
import dev.orrery.core.chunk.XorChunk;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChunkListIteratorTest {
  /** Four chunks of 100 samples at 10 s: chunk c holds t = c*1000s + i*10s, value c*1000 + i. */
  static final int CHUNKS = 4;
  static final int PER_CHUNK = 100;

  final XorChunk[] chunks = new XorChunk[CHUNKS];
  final long[] mins = new long[CHUNKS];
  final long[] maxs = new long[CHUNKS];
  /** Which parts were opened, in order, and the spare each was handed. */
  final List<Integer> opened = new ArrayList<>();
  final List<SampleIterator> spares = new ArrayList<>();

  ChunkListIteratorTest() {
    for (int c = 0; c < CHUNKS; c++) {
      XorAppender a = new XorAppender();
      for (int i = 0; i < PER_CHUNK; i++) {
        a.append(t(c, i), c * 1000 + i);
      }
      chunks[c] = a.toChunk();
      mins[c] = t(c, 0);
      maxs[c] = t(c, PER_CHUNK - 1);
    }
  }

  static long t(int chunk, int i) {
    return chunk * 1_000_000L + i * 10_000L;
  }

  ChunkListIterator iterator(long minTime, long maxTime) {
    ChunkListIterator.Part[] parts = new ChunkListIterator.Part[CHUNKS];
    for (int c = 0; c < CHUNKS; c++) {
      int chunk = c;
      parts[c] = spare -> {
        opened.add(chunk);
        spares.add(spare);
        return chunks[chunk].iterator(spare);
      };
    }
    return new ChunkListIterator(parts, mins, maxs, minTime, maxTime);
  }

  static List<Long> drain(SampleIterator it) {
    List<Long> out = new ArrayList<>();
    while (it.next() == ValueType.FLOAT) {
      out.add(it.atT());
    }
    return out;
  }

  @Test
  void clipsToTheRangeAndOpensOnlyTheChunksItReaches() {
    // From the middle of chunk 1 to the middle of chunk 2: chunk 0 ends before and chunk 3 starts after.
    List<Long> got = drain(iterator(t(1, 50), t(2, 49)));
    assertThat(got).hasSize(100).startsWith(t(1, 50)).endsWith(t(2, 49));
    assertThat(opened).containsExactly(1, 2);
    // The decoder of chunk 1 is handed on to chunk 2.
    assertThat(spares.get(0)).isNull();
    assertThat(spares.get(1)).isNotNull();
  }

  @Test
  void bulkAppendMatchesNextAcrossChunks() {
    ChunkListIterator it = iterator(t(0, 10), t(3, 20));
    FloatSamples out = new FloatSamples();
    assertThat(it.next()).isEqualTo(ValueType.FLOAT);
    out.add(it.atT(), it.atV());
    // Up to a time inside chunk 2: stops on the first sample after it, not appended.
    assertThat(it.appendFloats(out, t(2, 5))).isEqualTo(ValueType.FLOAT);
    assertThat(it.atT()).isEqualTo(t(2, 6));
    out.add(it.atT(), it.atV());
    assertThat(it.appendFloats(out, Long.MAX_VALUE)).isEqualTo(ValueType.NONE);

    List<Long> expected = drain(iterator(t(0, 10), t(3, 20)));
    assertThat(out.count).isEqualTo(expected.size());
    for (int k = 0; k < out.count; k++) {
      assertThat(out.ts[k]).isEqualTo(expected.get(k));
      long tk = out.ts[k];
      int c = (int) (tk / 1_000_000L);
      assertThat(out.values[k]).isEqualTo(c * 1000 + (tk % 1_000_000L) / 10_000L);
    }
  }

  @Test
  void seekSkipsWholeChunksWithoutOpeningThem() {
    ChunkListIterator it = iterator(Long.MIN_VALUE, Long.MAX_VALUE);
    assertThat(it.seek(t(2, 3) - 1)).isEqualTo(ValueType.FLOAT);
    assertThat(it.atT()).isEqualTo(t(2, 3));
    assertThat(opened).containsExactly(2);
    // A seek behind the current sample stays put; past the end the iterator is exhausted.
    assertThat(it.seek(0)).isEqualTo(ValueType.FLOAT);
    assertThat(it.atT()).isEqualTo(t(2, 3));
    assertThat(it.seek(t(3, PER_CHUNK - 1) + 1)).isEqualTo(ValueType.NONE);
    assertThat(it.next()).isEqualTo(ValueType.NONE);
  }
}
