package dev.orrery.core.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orrery.core.testing.Generators;
import dev.orrery.core.testing.Properties;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BitStreamPropertiesTest {

  /** A field of {@code width} bits holding the low bits of {@code value}. */
  record Field(long value, int width) {}

  @Test
  void bitsReadBackAsWritten() {
    Properties.check("bitsReadBackAsWritten", 500, random -> {
      List<Field> fields = Generators.listOf(random, 0, 300,
          r -> new Field(Generators.anyLong(r), Generators.intBetween(r, 1, 64)));
      int header = Generators.intBetween(random, 0, 5);
      BitWriter w = new BitWriter(header);
      long bits = 0;
      for (Field f : fields) {
        w.writeBits(f.value(), f.width());
        bits += f.width();
      }
      byte[] out = w.toByteArray();
      assertThat(w.bitLength()).isEqualTo(bits);
      assertThat(out).hasSize(header + (int) ((bits + 7) / 8));
      BitReader r = new BitReader().reset(ByteBuffer.wrap(out), header, out.length - header, "t", 0);
      for (Field f : fields) {
        int n = f.width();
        long mask = n == 64 ? -1L : (1L << n) - 1;
        assertThat(r.readBits(n)).isEqualTo(f.value() & mask);
      }
      assertThat(r.overrun()).isFalse();
      assertThat(r.remaining()).isBetween(0, 7);
    });
  }

  /** Values at and beside the varbit_int and varbit_uint bucket boundaries (FORMATS.md 2.5); the 64-bit extremes. */
  private static final long[] VARBIT_EDGES = {0L, 1L, -1L, -3L, 4L, 5L, -4L, 7L, 8L, -31L, 32L, 33L, -32L, 63L, 64L,
      -255L, 256L, 257L, -256L, 511L, 512L, -2047L, 2048L, 2049L, -2048L, 4095L, 4096L, -131071L, 131072L, 131073L,
      -131072L, 262143L, 262144L, -16777215L, 16777216L, 16777217L, -16777216L, 33554431L, 33554432L, -(1L << 55) + 1,
      1L << 55, (1L << 55) + 1, -(1L << 55), (1L << 56) - 1, 1L << 56, Long.MAX_VALUE, Long.MIN_VALUE};

  private static long varbitValue(SplittableRandom random) {
    return switch (Generators.weighted(random, 2, 1, 1)) {
      case 0 -> Generators.oneOf(random, VARBIT_EDGES);
      case 1 -> Generators.anyLong(random);
      default -> Generators.longBetween(random, -70_000, 70_000);
    };
  }

  @Test
  void varbitIntegersRoundTripAtAnyAlignment() {
    Properties.check("varbitIntegersRoundTripAtAnyAlignment", 300, random -> {
      long value = varbitValue(random);
      int skew = random.nextInt(8);
      BitWriter w = new BitWriter(0);
      w.writeBits(0, skew);
      w.writeVarbitInt(value);
      w.writeVarbitUint(value);
      w.writeVarint(value);
      w.writeUvarint(value);
      w.writeBit(true);
      byte[] out = w.toByteArray();
      BitReader r = new BitReader().reset(out, 0, out.length, "t", -1);
      r.skip(skew);
      assertThat(r.readVarbitInt()).isEqualTo(value);
      assertThat(r.readVarbitUint()).isEqualTo(value);
      assertThat(r.readVarint()).isEqualTo(value);
      assertThat(r.readUvarint()).isEqualTo(value);
      assertThat(r.readBit()).isTrue();
      assertThat(r.overrun()).isFalse();
    });
  }

  @Test
  void varbitIntUsesPrometheusBucketWidths() {
    // value -> total bits: prefix + payload (FORMATS.md 2.5)
    long[][] cases = {{0, 1}, {-3, 5}, {4, 5}, {5, 9}, {-4, 9}, {32, 9}, {33, 13}, {256, 13}, {-256, 17},
        {2048, 17}, {2049, 24}, {131072, 24}, {131073, 32}, {16777216, 32}, {16777217, 64}, {1L << 55, 64},
        {(1L << 55) + 1, 72}, {Long.MIN_VALUE, 72}};
    for (long[] c : cases) {
      BitWriter w = new BitWriter(0);
      w.writeVarbitInt(c[0]);
      assertThat(w.bitLength()).as("varbit_int %s", c[0]).isEqualTo(c[1]);
    }
    long[][] unsigned = {{0, 1}, {7, 5}, {8, 9}, {63, 9}, {64, 13}, {4095, 17}, {4096, 24}, {262143, 24},
        {262144, 32}, {33554431, 32}, {33554432, 64}, {(1L << 56) - 1, 64}, {1L << 56, 72}, {-1, 72}};
    for (long[] c : unsigned) {
      BitWriter w = new BitWriter(0);
      w.writeVarbitUint(c[0]);
      assertThat(w.bitLength()).as("varbit_uint %s", c[0]).isEqualTo(c[1]);
    }
  }

  @Test
  void spareByteFollowsTheLastWriteOnlyInPrometheus2Form() {
    BitWriter w2 = new BitWriter(0, WriterCompatibility.PROMETHEUS_2);
    w2.writeBits(0xAB, 8);
    assertThat(w2.toByteArray()).containsExactly(0xAB, 0);
    w2.writeBit(true);
    w2.writeBits(0, 7);
    assertThat(w2.toByteArray()).as("last write of 7 bits: no spare byte").containsExactly(0xAB, 0x80);
    w2.writePrefixed(0b1, 1, 0x7F, 7);
    assertThat(w2.toByteArray()).as("prefix is a separate write; the 7-bit field is last").containsExactly(0xAB, 0x80,
        0xFF);
    w2.writePrefixed(0b11, 2, 0xABCD, 16);
    w2.writeBits(0, 6);
    w2.writeBits(0x12345678, 32);
    assertThat(w2.toByteArray()).hasSize(3 + 7 + 1).endsWith(0x56, 0x78, 0);
    BitWriter w3 = new BitWriter(0, WriterCompatibility.PROMETHEUS_3);
    w3.writeBits(0xAB, 8);
    assertThat(w3.toByteArray()).containsExactly(0xAB);
  }

  @Test
  void readingPastTheEndThrowsNamingResourceAndOffset() {
    BitReader r = new BitReader().reset(new byte[] {1, 2}, 0, 2, "blk/chunks/000001", 100);
    r.readBits(16);
    assertThat(r.overrun()).isFalse();
    r.readBits(1);
    assertThat(r.overrun()).isTrue();
    assertThatThrownBy(() -> r.readBits(1)).isInstanceOf(CorruptChunkException.class)
        .hasMessage("chunk bit stream truncated in blk/chunks/000001 at offset 102: needs more than its 2 bytes");
  }

  @Test
  void headerBytesAreKeptAndResetClearsEverything() {
    BitWriter w = new BitWriter(3);
    w.setHeaderByte(2, 0xC0);
    w.writeBits(-1L, 64);
    w.writeBits(-1L, 64);
    w.writeBits(1, 3);
    assertThat(w.headerByte(2)).isEqualTo(0xC0);
    assertThat(w.toByteArray()).hasSize(3 + 17);
    w.reset();
    assertThat(w.toByteArray()).containsExactly(0, 0, 0);
    w.writeBits(0b101, 3);
    assertThat(w.toByteArray()).containsExactly(0, 0, 0, 0xA0);
  }
}
