package dev.orrery.core.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class AggrChunkSlotsTest {
  // FORMATS.md 7.1 worked example: count 3, sum 7, min 1, max 4 at 121000, counter (1000,1) (121000,4) (121000,4).
  static final byte[] EXAMPLE = HexFormat.of().parseHex(
      "0d010001d0e20e4008000000000000" + "0d010001d0e20e401c000000000000" + "0d010001d0e20e3ff0000000000000"
          + "0d010001d0e20e4010000000000000" + "15010003d00f3ff0000000000000c0a907c257ffdc5680");

  static double only(ByteBuffer data) {
    SampleIterator it = Chunk.of(ChunkEncoding.XOR, data).iterator(null);
    assertThat(it.next()).isEqualTo(ValueType.FLOAT);
    assertThat(it.atT()).isEqualTo(121000L);
    return it.atV();
  }

  @Test
  void splitsTheWorkedExample() {
    assertThat(EXAMPLE).hasSize(83);
    ByteBuffer[] slots = new ByteBuffer[5];
    int[] enc = new int[5];
    AggrChunkSlots.split(ByteBuffer.wrap(EXAMPLE), slots, enc, "test");
    assertThat(enc).containsExactly(1, 1, 1, 1, 1);
    assertThat(only(slots[AggrChunkSlots.COUNT])).isEqualTo(3.0);
    assertThat(only(slots[AggrChunkSlots.SUM])).isEqualTo(7.0);
    assertThat(only(slots[AggrChunkSlots.MIN])).isEqualTo(1.0);
    assertThat(only(slots[AggrChunkSlots.MAX])).isEqualTo(4.0);
    assertThat(Chunk.of(ChunkEncoding.XOR, slots[AggrChunkSlots.COUNTER]).numSamples()).isEqualTo(3);
  }

  @Test
  void absentTrailingSlotsAreNull() {
    byte[] countOnly = new byte[16];
    System.arraycopy(EXAMPLE, 0, countOnly, 0, 15);
    ByteBuffer[] slots = new ByteBuffer[5];
    int[] enc = new int[5];
    AggrChunkSlots.split(ByteBuffer.wrap(countOnly), slots, enc, "test");
    assertThat(slots[0]).isNotNull();
    assertThat(slots[1]).isNull();
    assertThat(slots[4]).isNull();
  }

  @Test
  void truncatedSlotIsCorrupt() {
    assertThatThrownBy(() -> AggrChunkSlots.split(ByteBuffer.wrap(EXAMPLE, 0, 20).slice(), new ByteBuffer[5],
        new int[5], "test")).isInstanceOf(CorruptChunkException.class);
  }
}
