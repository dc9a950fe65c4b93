package dev.orrery.core.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orrery.core.histogram.CounterResetHint;
import dev.orrery.core.histogram.FloatHistogram;
import dev.orrery.core.histogram.Histogram;
import dev.orrery.core.histogram.Span;
import dev.orrery.core.io.ByteArraySource;
import dev.orrery.core.io.ByteSource;
import dev.orrery.core.io.CorruptBlockException;
import dev.orrery.core.io.CorruptDataException;
import dev.orrery.core.testing.Properties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Corrupted segment files (flipped bits, truncation) either give back exactly the chunks that were written or fail
 * with {@link CorruptDataException} / {@link CorruptBlockException}: never different samples, never another exception.
 */
class ChunkSegmentCorruptionPropertiesTest {
  /** tmpfs where available: the writer syncs every file it finishes, which is slow on disks. */
  private static final Path TEMP_ROOT = Files.isWritable(Path.of("/dev/shm")) ? Path.of("/dev/shm")
      : Path.of(System.getProperty("java.io.tmpdir"));

  /** What each reference decodes to before corruption. */
  private static Map<Long, String> writeRandomSegments(Path dir, Random random) throws IOException {
    Map<Long, String> expected = new LinkedHashMap<>();
    try (ChunkSegmentWriter w = ChunkSegmentWriter.open(dir, 100 + random.nextInt(2000))) {
      int series = 1 + random.nextInt(30);
      for (int s = 0; s < series; s++) {
        List<Chunk> chunks = new ArrayList<>();
        for (int c = 0; c < 1 + random.nextInt(4); c++) {
          chunks.add(randomChunk(random));
        }
        long[] refs = w.writeSeries(chunks);
        for (int i = 0; i < refs.length; i++) {
          expected.put(refs[i], decode(chunks.get(i)));
        }
      }
    }
    return expected;
  }

  private static Chunk randomChunk(Random random) {
    int kind = random.nextInt(3);
    int n = 1 + random.nextInt(60);
    long t = 1_700_000_000_000L + random.nextInt(1000);
    if (kind == 0) {
      XorAppender a = new XorAppender();
      for (int i = 0; i < n; i++) {
        a.append(t, random.nextInt(4) == 0 ? random.nextDouble() : random.nextInt(100) / 4.0);
        t += 15_000 + random.nextInt(25);
      }
      return a.toChunk();
    }
    Span[] spans = {new Span(random.nextInt(5), 1 + random.nextInt(4))};
    double[] buckets = new double[spans[0].length()];
    if (kind == 1) {
      HistogramAppender a = new HistogramAppender();
      long[] deltas = new long[buckets.length];
      long count = 0;
      for (int i = 0; i < n; i++) {
        deltas[0] += random.nextInt(3);
        count += deltas[0] + random.nextInt(5);
        a.append(t, new Histogram(CounterResetHint.UNKNOWN, 2, 0, 0, count, count * 0.5,
            spans, deltas.clone(), new Span[0], new long[0], new double[0]));
        t += 15_000;
      }
      return a.toChunk();
    }
    FloatHistogramAppender a = new FloatHistogramAppender();
    for (int i = 0; i < n; i++) {
      buckets[buckets.length - 1] += random.nextInt(3);
      a.append(t, new FloatHistogram(CounterResetHint.GAUGE, 1, 0.001, 1, 10 + i, random.nextDouble(), spans,
          buckets.clone(), new Span[0], new double[0], new double[0]));
      t += 15_000;
    }
    return a.toChunk();
  }

  private static String decode(Chunk chunk) {
    if (chunk.encoding() == ChunkEncoding.XOR) {
      return chunk.encoding() + " " + ChunkTestSupport.decodeFloats(chunk);
    }
    return chunk.encoding() + " " + HistogramChunkTest.decodeHistograms(chunk);
  }

  @Test
  void corruptedSegmentsDecodeToTheOriginalOrThrowCorruption() {
    Properties.check("corruptedSegmentsDecodeToTheOriginalOrThrowCorruption", 150,
        random -> corruptedSegmentsDecodeToTheOriginalOrThrowCorruption(new Random(random.nextLong()),
            random.nextInt(4), random.nextBoolean()));
  }

  private static void corruptedSegmentsDecodeToTheOriginalOrThrowCorruption(Random random, int flips,
      boolean truncate) throws IOException {
    Path dir = Files.createTempDirectory(TEMP_ROOT, "segments");
    try {
      Map<Long, String> expected = writeRandomSegments(dir, random);
      List<Path> files = ChunkSegmentReader.segmentFiles(dir);
      List<byte[]> contents = new ArrayList<>();
      for (Path f : files) {
        contents.add(Files.readAllBytes(f));
      }
      int victim = random.nextInt(contents.size());
      byte[] bytes = contents.get(victim);
      for (int i = 0; i < flips; i++) {
        int bit = random.nextInt(bytes.length * 8);
        bytes[bit >>> 3] ^= (byte) (0x80 >>> (bit & 7));
      }
      if (truncate) {
        contents.set(victim, Arrays.copyOf(bytes, random.nextInt(bytes.length)));
      }
      List<ByteSource> sources = new ArrayList<>();
      for (int i = 0; i < contents.size(); i++) {
        sources.add(new ByteArraySource("chunks/" + files.get(i).getFileName(), contents.get(i)));
      }
      ChunkSegmentReader reader;
      try {
        reader = ChunkSegmentReader.open(sources);
      } catch (CorruptBlockException e) {
        assertThat(e.getMessage()).contains("chunks/" + files.get(victim).getFileName());
        return;
      }
      try (ChunkSegmentReader r = reader) {
        boolean corrupted = flips > 0 || truncate;
        int failures = 0;
        for (Map.Entry<Long, String> e : expected.entrySet()) {
          try {
            assertThat(decode(r.chunk(e.getKey()))).as("chunk %s", ChunkRef.toString(e.getKey()))
                .isEqualTo(e.getValue());
          } catch (CorruptDataException expectedFailure) {
            failures++;
          }
        }
        List<String> problems = r.verify();
        if (failures > 0 && !truncate) {
          // (A file cut exactly at a record boundary looks sound on its own; the index's references show the loss.)
          assertThat(problems).as("verify finds what chunk() found").isNotEmpty();
        }
        if (!corrupted) {
          assertThat(failures).isZero();
          assertThat(problems).isEmpty();
        }
      }
    } finally {
      try (Stream<Path> walk = Files.walk(dir)) {
        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }
}
