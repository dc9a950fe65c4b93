package dev.orrery.core.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.orrery.core.OrreryException;
import dev.orrery.core.chunk.SampleIterator;
import dev.orrery.core.chunk.ValueType;
import dev.orrery.core.io.CorruptBlockException;
import dev.orrery.core.labels.Labels;
import dev.orrery.core.labels.Matcher;
import dev.orrery.core.storage.Querier;
import dev.orrery.core.storage.SeriesSet;
import dev.orrery.core.testing.Generators;
import dev.orrery.core.testing.Properties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Corrupt input never yields wrong samples: flipped bits, truncation, bad magic numbers, wrong CRCs, out-of-range
 * references and invalid meta.json either read back exactly the original data or fail with an exception that names
 * the file, and never hang.
 */
class BlockCorruptionTest {
  static Path original;
  static String pristineDump;

  /** The pristine block, written once per JVM (shared by the properties and the examples). */
  static synchronized Path original() throws IOException {
    if (original != null) {
      return original;
    }
    Path parent = Files.createTempDirectory("orrery-corruption");
    try (BlockWriter w = BlockWriter.builder(parent).samplesPerChunk(60).build()) {
      Random r = new Random(3);
      for (int s = 0; s < 30; s++) {
        Labels l = Labels.of("__name__", "m" + (s % 4), "i", Integer.toString(s));
        double v = 0;
        for (int i = 0; i < 300; i++) {
          v += r.nextInt(100) / 10.0;
          w.append(l, 1_000_000L + i * 15_000L + r.nextInt(20), v);
        }
      }
      original = parent.resolve(w.commit().ulid().toString());
    }
    pristineDump = dump(original);
    return original;
  }

  static String dump(Path blockDir) throws IOException {
    StringBuilder sb = new StringBuilder();
    try (Block b = Block.open(blockDir);
        Querier q = b.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      SeriesSet set = q.select(true, null, Matcher.regex("__name__", ".+"));
      SampleIterator it = null;
      while (set.next()) {
        sb.append(set.at().labels()).append('\n');
        it = set.at().iterator(it);
        for (ValueType vt = it.next(); vt != ValueType.NONE; vt = it.next()) {
          sb.append(it.atT()).append(' ').append(Double.doubleToRawLongBits(it.atV())).append('\n');
        }
      }
    }
    return sb.toString();
  }

  static Path copy(Path dir) throws IOException {
    Path target = Files.createTempDirectory("orrery-corrupt").resolve(dir.getFileName().toString());
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) paths::iterator) {
        Path t = target.resolve(dir.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    }
    return target;
  }

  static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir.getParent())) {
      for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** Reads the block and checks: same data, or one of our exceptions naming the file. */
  static void assertReadsOriginalOrFailsClearly(Path dir, String corruptedFile) {
    assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
      try {
        String got = dump(dir);
        assertThat(got).as("corrupt %s read without error must equal the original", corruptedFile)
            .isEqualTo(pristineDump);
      } catch (CorruptBlockException e) {
        assertThat(e.getMessage()).contains(corruptedFile.equals("meta.json") ? "meta.json" : corruptedFile);
      } catch (OrreryException e) {
        assertThat(e.code()).isIn(OrreryException.ErrorCode.CORRUPT_DATA, OrreryException.ErrorCode.UNSUPPORTED);
        assertThat(e.getMessage()).contains(corruptedFile);
      } catch (java.nio.file.NoSuchFileException e) {
        assertThat(e.getMessage()).contains(corruptedFile);
      }
    });
  }

  private static final String[] FILES = {"index", "chunks/000001", "meta.json", "tombstones"};

  @Test
  void randomBitFlipsNeverYieldWrongSamples() {
    Properties.check("randomBitFlipsNeverYieldWrongSamples", 150, random -> {
      String file = Generators.oneOf(random, FILES);
      int where = random.nextInt(Integer.MAX_VALUE);
      int bit = random.nextInt(8);
      Path dir = copy(original());
      try {
        Path f = dir.resolve(file);
        byte[] bytes = Files.readAllBytes(f);
        int pos = where % bytes.length;
        bytes[pos] ^= (byte) (1 << bit);
        Files.write(f, bytes);
        assertReadsOriginalOrFailsClearly(dir, file);
        BlockVerifier.Report report = BlockVerifier.verify(dir);
        if (!report.ok()) {
          assertThat(String.join("\n", report.problems())).isNotBlank();
        }
      } finally {
        deleteTree(dir);
      }
    });
  }

  @Test
  void truncationNeverYieldsWrongSamples() {
    Properties.check("truncationNeverYieldsWrongSamples", 60, random -> {
      String file = Generators.oneOf(random, FILES);
      int keep = random.nextInt(Integer.MAX_VALUE);
      Path dir = copy(original());
      try {
        Path f = dir.resolve(file);
        byte[] bytes = Files.readAllBytes(f);
        Files.write(f, java.util.Arrays.copyOf(bytes, keep % bytes.length));
        assertReadsOriginalOrFailsClearly(dir, file);
        assertThat(BlockVerifier.verify(dir).ok()).as("verify must flag truncated %s", file)
            .isEqualTo(file.equals("tombstones") && keep % bytes.length == bytes.length);
      } finally {
        deleteTree(dir);
      }
    });
  }

  @Test
  void badIndexMagicIsNamed() throws IOException {
    Path dir = copy(original());
    try {
      byte[] bytes = Files.readAllBytes(dir.resolve("index"));
      bytes[0] = 0;
      Files.write(dir.resolve("index"), bytes);
      assertThatThrownBy(() -> Block.open(dir)).isInstanceOf(CorruptBlockException.class)
          .hasMessageContaining("index").hasMessageContaining("magic");
      assertThat(BlockVerifier.verify(dir).ok()).isFalse();
    } finally {
      deleteTree(dir);
    }
  }

  @Test
  void badChunkCrcIsNamedWithOffset() throws IOException {
    Path dir = copy(original());
    try {
      Path seg = dir.resolve("chunks/000001");
      byte[] bytes = Files.readAllBytes(seg);
      bytes[bytes.length - 1] ^= 0x55; // last CRC byte of the last chunk
      Files.write(seg, bytes);
      assertThatThrownBy(() -> dump(dir)).isInstanceOf(OrreryException.class).hasMessageContaining("000001")
          .hasMessageContaining("CRC").hasMessageContaining("offset");
      BlockVerifier.Report report = BlockVerifier.verify(dir);
      assertThat(report.ok()).isFalse();
      assertThat(report.problems().get(0)).contains("000001");
    } finally {
      deleteTree(dir);
    }
  }

  @Test
  void invalidMetaJsonIsNamed() throws IOException {
    Path dir = copy(original());
    try {
      Files.writeString(dir.resolve("meta.json"), "{\"version\": 1, \"ulid\": 5}");
      assertThatThrownBy(() -> Block.open(dir)).isInstanceOf(CorruptBlockException.class)
          .hasMessageContaining("meta.json").hasMessageContaining("ulid");
    } finally {
      deleteTree(dir);
    }
  }

  @Test
  void intactCopyVerifies() throws IOException {
    Path dir = copy(original());
    try {
      BlockVerifier.Report report = BlockVerifier.verify(dir);
      assertThat(report.problems()).isEmpty();
      assertThat(report.samples()).isEqualTo(30 * 300);
      List<String> none = new ArrayList<>(report.problems());
      assertThat(none).isEmpty();
    } finally {
      deleteTree(dir);
    }
  }
}
