package dev.orrery.core.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orrery.core.io.ByteArraySource;
import dev.orrery.core.io.CorruptBlockException;
import dev.orrery.core.io.Crc32c;
import dev.orrery.core.io.EncodeBuffer;
import dev.orrery.core.testing.Generators;
import dev.orrery.core.testing.Properties;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TombstonesTest {

  @Test
  void emptyFileIsNineBytes() throws IOException {
    byte[] b = Tombstones.empty().encode();
    assertThat(b).containsExactly(0x01, 0x30, 0xBA - 256, 0x30, 0x01, 0, 0, 0, 0);
    assertThat(Tombstones.read(new ByteArraySource("t", b))).isEqualTo(Tombstones.empty());
  }

  @Test
  void missingFileMeansNoTombstones(@TempDir Path dir) throws IOException {
    assertThat(Tombstones.read(dir.resolve("tombstones")).isEmpty()).isTrue();
  }

  @Test
  void writesAndReadsAFile(@TempDir Path dir) throws IOException {
    Tombstones t = Tombstones.builder().add(7, 100, 200).add(3, -5, 5).add(7, 150, 300).add(7, 400, 500).build();
    Path file = dir.resolve(Tombstones.FILE_NAME);
    t.write(file);
    assertThat(Files.readAllBytes(file)).isEqualTo(t.encode());
    Tombstones back = Tombstones.read(file);
    assertThat(back).isEqualTo(t);
    assertThat(back.get(7)).isEqualTo(Intervals.of(100, 300).add(400, 500));
    assertThat(back.get(3).toString()).isEqualTo("[[-5, 5]]");
    assertThat(back.get(4).isEmpty()).isTrue();
    assertThat(back.seriesCount()).isEqualTo(2);
    assertThat(back.intervalCount()).isEqualTo(3);
  }

  @Test
  void readMergesUnsortedOverlappingAndTouchingEntries() throws IOException {
    // As upstream may write them: series interleaved, intervals out of order, touching at maxt + 1 == mint.
    long[][] entries = {{5, 20, 30}, {9, 0, 0}, {5, 0, 10}, {5, 11, 12}, {9, 2, 3}, {5, 25, 40}};
    byte[] b = file(entries);
    Tombstones t = Tombstones.read(new ByteArraySource("t", b));
    assertThat(t.get(5)).isEqualTo(Intervals.of(0, 12).add(20, 40));
    assertThat(t.get(9).size()).isEqualTo(2);
    assertThat(t.intervalCount()).isEqualTo(4);
  }

  @Test
  void intervalsAgreeWithNaiveSetOfDeletedTimestamps() {
    Properties.check("intervalsAgreeWithNaiveSetOfDeletedTimestamps", 300, random -> {
      List<Integer> starts = Generators.listOf(random, 0, 12, r -> Generators.intBetween(r, -50, 50));
      List<Integer> lengths = Generators.listOf(random, 0, 12, r -> Generators.intBetween(r, 0, 15));
      Intervals iv = Intervals.empty();
      TreeSet<Long> deleted = new TreeSet<>();
      for (int i = 0; i < Math.min(starts.size(), lengths.size()); i++) {
        long s = starts.get(i);
        long e = s + lengths.get(i);
        iv = iv.add(s, e);
        for (long t = s; t <= e; t++) {
          deleted.add(t);
        }
      }
      Intervals.Cursor cursor = iv.cursor();
      for (long t = -60; t <= 80; t++) {
        assertThat(iv.contains(t)).as("t=%d in %s", t, iv).isEqualTo(deleted.contains(t));
        assertThat(cursor.isDeleted(t)).isEqualTo(deleted.contains(t));
      }
      // Canonical form: sorted, disjoint, not touching.
      for (int i = 1; i < iv.size(); i++) {
        assertThat(iv.minTime(i)).isGreaterThan(iv.maxTime(i - 1) + 1);
      }
      for (int i = 0; i < iv.size(); i++) {
        assertThat(iv.covers(iv.minTime(i), iv.maxTime(i))).isTrue();
        assertThat(iv.overlaps(iv.maxTime(i), iv.maxTime(i) + 100)).isTrue();
      }
    });
  }

  @Test
  void encodeReadRoundTrip() {
    Properties.check("encodeReadRoundTrip", 200, random -> {
      List<Integer> refs = Generators.listOf(random, 0, 40, r -> Generators.intBetween(r, 0, 20));
      List<Integer> starts = Generators.listOf(random, 0, 40, r -> Generators.intBetween(r, -1000, 1000));
      Tombstones.Builder b = Tombstones.builder();
      Map<Long, Intervals> expected = new TreeMap<>();
      for (int i = 0; i < Math.min(refs.size(), starts.size()); i++) {
        long min = starts.get(i) * 1_000_000_000L;
        long max = min + Math.abs(starts.get(i)) * 7L;
        b.add(refs.get(i), min, max);
        expected.merge((long) refs.get(i), Intervals.of(min, max), Intervals::addAll);
      }
      Tombstones t = b.build();
      Tombstones back = Tombstones.read(new ByteArraySource("t", t.encode()));
      assertThat(back).isEqualTo(t);
      assertThat(back.encode()).isEqualTo(t.encode());
      for (Map.Entry<Long, Intervals> e : expected.entrySet()) {
        assertThat(back.get(e.getKey())).isEqualTo(e.getValue());
      }
    });
  }

  @Test
  void extremeTimesSurvive() throws IOException {
    Tombstones t = Tombstones.builder().add(1, Long.MIN_VALUE, Long.MAX_VALUE).add(2, Long.MAX_VALUE,
        Long.MAX_VALUE).add(2, Long.MIN_VALUE, Long.MIN_VALUE).build();
    assertThat(Tombstones.read(new ByteArraySource("t", t.encode()))).isEqualTo(t);
    assertThat(t.get(1).contains(0)).isTrue();
    assertThat(t.get(2).size()).isEqualTo(2);
    assertThat(Intervals.of(Long.MIN_VALUE, 0).add(1, Long.MAX_VALUE).size()).isEqualTo(1);
  }

  // ---- corruption ----

  @Test
  void badFilesAreRejectedNamingFileAndOffset() {
    byte[] good = file(new long[][] {{1, 10, 20}});
    byte[] magic = good.clone();
    magic[0] = 0x02;
    assertThatThrownBy(() -> Tombstones.read(new ByteArraySource("blk/tombstones", magic)))
        .isInstanceOf(CorruptBlockException.class)
        .hasMessage("bad tombstones magic (expected 0130ba30, actual 0230ba30) in blk/tombstones at offset 0");
    byte[] version = good.clone();
    version[4] = 2;
    assertThatThrownBy(() -> Tombstones.read(new ByteArraySource("blk/tombstones", version)))
        .isInstanceOf(CorruptBlockException.class).hasMessageContaining("version 2").hasMessageEndingWith("offset 4");
    byte[] crc = good.clone();
    crc[6] ^= 1;
    assertThatThrownBy(() -> Tombstones.read(new ByteArraySource("blk/tombstones", crc)))
        .isInstanceOf(CorruptBlockException.class).hasMessageStartingWith("tombstones CRC32C mismatch")
        .hasMessageEndingWith("at offset " + (good.length - 4));
    assertThatThrownBy(() -> Tombstones.read(new ByteArraySource("blk/tombstones", new byte[8])))
        .isInstanceOf(CorruptBlockException.class).hasMessageContaining("shorter");
  }

  @Test
  void malformedEntriesBehindAValidCrcAreRejected() {
    // An entry cut short after its ref.
    EncodeBuffer e = new EncodeBuffer();
    e.putBE32(Tombstones.MAGIC).putByte(1).putUvarint(300);
    e.putBE32(e.crc32c(5, e.length() - 5));
    assertThatThrownBy(() -> Tombstones.read(new ByteArraySource("t", e.toByteArray())))
        .isInstanceOf(CorruptBlockException.class).hasMessageContaining("at offset 7");
    assertThatThrownBy(() -> Tombstones.read(new ByteArraySource("t", file(new long[][] {{1, 20, 10}}))))
        .isInstanceOf(CorruptBlockException.class).hasMessageContaining("minTime 20 > maxTime 10")
        .hasMessageEndingWith("at offset 5");
  }

  @Test
  void anyDamageReadsBackIdenticallyOrThrowsOurException() {
    Properties.check("anyDamageReadsBackIdenticallyOrThrowsOurException", 300, random -> {
      int at = Generators.intBetween(random, 0, 200);
      int bit = random.nextInt(8);
      boolean fixCrc = random.nextBoolean();
      Tombstones t = Tombstones.builder().add(1, 10, 20).add(300, -7, 1L << 40).add(300, 50, 60).add(70000, 0, 0)
          .build();
      byte[] b = t.encode();
      b[at % b.length] ^= (byte) (1 << bit);
      if (fixCrc && b.length > 9) {
        ByteBuffer.wrap(b).putInt(b.length - 4, Crc32c.of(b, 5, b.length - 9));
      }
      try {
        Tombstones back = Tombstones.read(new ByteArraySource("t", b));
        if (!fixCrc) {
          assertThat(back).isEqualTo(t);
        }
      } catch (CorruptBlockException e) {
        assertThat(e.resource()).isEqualTo("t");
      }
    });
  }

  private static byte[] file(long[][] entries) {
    EncodeBuffer e = new EncodeBuffer();
    e.putBE32(Tombstones.MAGIC).putByte(1);
    for (long[] x : entries) {
      e.putUvarint(x[0]).putVarint(x[1]).putVarint(x[2]);
    }
    e.putBE32(e.crc32c(5, e.length() - 5));
    return e.toByteArray();
  }
}
