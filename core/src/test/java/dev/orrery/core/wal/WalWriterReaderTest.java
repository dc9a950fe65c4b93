package dev.orrery.core.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.orrery.core.testing.Properties;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WalWriterReaderTest {
  private static final int SMALL_SEGMENT = 4 * WalWriter.PAGE_SIZE;

  @TempDir
  Path dir;

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void recordsOfEverySizeReadBackInOrderAcrossPagesAndSegments(boolean compress) throws IOException {
    SplittableRandom random = new SplittableRandom(7);
    List<byte[]> records = new ArrayList<>();
    for (int size : new int[] {0, 1, 6, 7, 100, WalWriter.PAGE_SIZE - 7, WalWriter.PAGE_SIZE - 6,
        WalWriter.PAGE_SIZE, 3 * WalWriter.PAGE_SIZE + 11, 5 * WalWriter.PAGE_SIZE}) {
      records.add(record(random, size));
    }
    for (int i = 0; i < 300; i++) {
      records.add(record(random, random.nextInt(0, 3000)));
    }
    try (WalWriter w = WalWriter.create(dir, SMALL_SEGMENT, compress)) {
      for (byte[] r : records) {
        w.log(r);
      }
    }
    int[] segments = WalSegments.list(dir);
    assertThat(segments.length).as("segments").isGreaterThan(3);
    for (int s : segments) {
      assertThat(Files.size(WalSegments.path(dir, s)) % WalWriter.PAGE_SIZE).as("segment %d ends on a page", s)
          .isZero();
    }
    assertThat(readAll(dir)).containsExactlyElementsOf(records);
  }

  /** Half random bytes, half a repeated pattern: compressible, so that compressed records occur. */
  private static byte[] record(SplittableRandom random, int size) {
    byte[] b = new byte[size];
    for (int i = 0; i < size; i++) {
      b[i] = i < size / 2 ? (byte) random.nextInt() : (byte) (i % 13);
    }
    return b;
  }

  private static List<byte[]> readAll(Path dir) throws IOException {
    List<byte[]> out = new ArrayList<>();
    try (WalReader r = WalReader.open(dir)) {
      while (r.next()) {
        out.add(Arrays.copyOf(r.record(), r.recordLength()));
      }
    }
    return out;
  }

  @Test
  void compressedRecordsAreMarkedAndSmaller() throws IOException {
    byte[] zeros = new byte[10_000];
    try (WalWriter w = WalWriter.create(dir, true)) {
      w.log(zeros);
    }
    byte[] file = Files.readAllBytes(WalSegments.path(dir, 0));
    assertThat(file[0]).as("full fragment, snappy flag").isEqualTo((byte) (WalWriter.FULL | WalWriter.SNAPPY));
    int length = ((file[1] & 0xFF) << 8) | (file[2] & 0xFF);
    assertThat(length).isLessThan(1000);
    assertThat(readAll(dir)).containsExactly(zeros);
  }

  @Test
  void aRecordLargerThanASegmentGetsAnOversizedSegmentOfItsOwn() throws IOException {
    byte[] small = {1, 2, 3};
    byte[] huge = record(new SplittableRandom(1), 2 * SMALL_SEGMENT);
    try (WalWriter w = WalWriter.create(dir, SMALL_SEGMENT, false)) {
      w.log(small);
      w.log(huge);
      w.log(small);
    }
    assertThat(WalSegments.list(dir)).containsExactly(0, 1, 2);
    assertThat(Files.size(WalSegments.path(dir, 1))).isGreaterThan(SMALL_SEGMENT);
    assertThat(readAll(dir)).containsExactly(small, huge, small);
  }

  @Test
  void reopeningStartsANewSegmentAfterTheLast() throws IOException {
    try (WalWriter w = WalWriter.create(dir, false)) {
      w.log(new byte[] {1});
    }
    try (WalWriter w = WalWriter.create(dir, false)) {
      assertThat(w.segment()).isEqualTo(1);
      w.log(new byte[] {2});
      assertThat(w.nextSegment()).isEqualTo(2);
      w.log(new byte[] {3});
    }
    assertThat(readAll(dir)).containsExactly(new byte[] {1}, new byte[] {2}, new byte[] {3});
    try (WalReader r = WalReader.open(dir, 1)) {
      assertThat(r.next()).isTrue();
      assertThat(r.record()[0]).isEqualTo((byte) 2);
      assertThat(r.segment()).isEqualTo(1);
    }
  }

  @Test
  void anUnflushedProcessLosesNothingLogged() throws IOException {
    // Every log call reaches the file: a reader sees the records while the writer is still open (a crashed process).
    WalWriter w = WalWriter.create(dir, false);
    w.log(new byte[] {1, 2});
    w.log(new byte[] {3}, new byte[] {4});
    assertThat(readAll(dir)).containsExactly(new byte[] {1, 2}, new byte[] {3}, new byte[] {4});
    w.close();
  }

  @Test
  void aFlippedBitIsACorruptionNamingTheSegmentAndOffset() throws IOException {
    try (WalWriter w = WalWriter.create(dir, false)) {
      w.log(new byte[100]);
      w.log(new byte[100]);
    }
    Path segment = WalSegments.path(dir, 0);
    byte[] file = Files.readAllBytes(segment);
    file[107 + 50] ^= 0x10; // inside the second record's data
    Files.write(segment, file);
    try (WalReader r = WalReader.open(dir)) {
      assertThat(r.next()).isTrue();
      WalCorruptionException e = catchThrowableOfType(WalCorruptionException.class, r::next);
      assertThat(e.segment()).isZero();
      assertThat(e.offset()).isEqualTo(107);
      assertThat(e.getMessage()).contains(segment.toString()).contains("CRC32C mismatch").contains("offset 107");
    }
  }

  @Test
  void aTornLastRecordIsReported() throws IOException {
    try (WalWriter w = WalWriter.create(dir, false)) {
      w.log(new byte[10]);
      w.log(new byte[3 * WalWriter.PAGE_SIZE]);
    }
    Path segment = WalSegments.path(dir, 0);
    try (FileChannel c = FileChannel.open(segment, StandardOpenOption.WRITE)) {
      c.truncate(2 * WalWriter.PAGE_SIZE); // the big record's first two fragments survive, not the rest
    }
    try (WalReader r = WalReader.open(dir)) {
      assertThat(r.next()).isTrue();
      assertThatThrownBy(r::next).isInstanceOf(WalCorruptionException.class)
          .hasMessageContaining("torn").hasMessageContaining(segment.toString());
    }
  }

  @Test
  void aWriteCutInsideAFragmentIsReported() throws IOException {
    try (WalWriter w = WalWriter.create(dir, false)) {
      w.log(new byte[10]);
      w.log(new byte[500]);
    }
    Path segment = WalSegments.path(dir, 0);
    try (FileChannel c = FileChannel.open(segment, StandardOpenOption.WRITE)) {
      c.truncate(17 + 7 + 200);
    }
    try (WalReader r = WalReader.open(dir)) {
      assertThat(r.next()).isTrue();
      assertThatThrownBy(r::next).isInstanceOf(WalCorruptionException.class)
          .hasMessageContaining("ends inside a fragment").hasMessageContaining("offset 17");
    }
  }

  @Test
  void missingSegmentsAreRefused() throws IOException {
    for (int i : new int[] {0, 1, 3}) {
      Files.write(WalSegments.path(dir, i), new byte[0]);
    }
    assertThatThrownBy(() -> WalReader.open(dir)).hasMessageContaining("not consecutive")
        .hasMessageContaining("00000001 is followed by 00000003");
  }

  @Test
  void randomCorruptionNeverYieldsAWrongRecord() throws IOException {
    Properties.check("randomCorruptionNeverYieldsAWrongRecord", 200, random -> {
      Path d = Files.createTempDirectory(dir, "wal");
      boolean compress = random.nextBoolean();
      List<byte[]> records = new ArrayList<>();
      try (WalWriter w = WalWriter.create(d, 2 * WalWriter.PAGE_SIZE, compress)) {
        for (int i = random.nextInt(1, 40); i > 0; i--) {
          byte[] r = record(random, random.nextInt(0, 20_000));
          records.add(r);
          w.log(r);
        }
      }
      int[] segments = WalSegments.list(d);
      Path victim = WalSegments.path(d, segments[random.nextInt(segments.length)]);
      byte[] file = Files.readAllBytes(victim);
      if (random.nextBoolean()) {
        file[random.nextInt(file.length)] ^= (byte) (1 << random.nextInt(8));
        Files.write(victim, file);
      } else {
        Files.write(victim, Arrays.copyOf(file, random.nextInt(file.length)));
      }
      List<byte[]> read = new ArrayList<>();
      try (WalReader r = WalReader.open(d)) {
        while (r.next()) {
          read.add(Arrays.copyOf(r.record(), r.recordLength()));
        }
      } catch (WalCorruptionException expected) {
        assertThat(expected.getMessage()).contains(d.toString());
      }
      // Whatever was returned are written records, in order. Usually a prefix; a segment cut exactly between two
      // fragments reads like one a crash left behind (as in Prometheus), and reading goes on with the next segment.
      int next = 0;
      for (byte[] got : read) {
        while (next < records.size() && !Arrays.equals(records.get(next), got)) {
          next++;
        }
        assertThat(next).as("record %s is one written, in order", read.indexOf(got)).isLessThan(records.size());
        next++;
      }
    });
  }
}
