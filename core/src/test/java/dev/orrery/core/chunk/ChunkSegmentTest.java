package dev.orrery.core.chunk;

import static dev.orrery.core.chunk.ChunkTestSupport.decodeFloats;
import static dev.orrery.core.chunk.ChunkTestSupport.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orrery.core.OrreryException;
import dev.orrery.core.chunk.ChunkTestSupport.FloatSample;
import dev.orrery.core.io.ByteArraySource;
import dev.orrery.core.io.ByteSource;
import dev.orrery.core.io.CorruptBlockException;
import dev.orrery.core.io.CorruptDataException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChunkSegmentTest {
  @TempDir
  Path tmp;

  /** An XOR chunk whose data is exactly {@code length} bytes (a header and a single sample padded with raw bits). */
  static Chunk chunkOfLength(int length, long seed) {
    byte[] data = new byte[length];
    data[0] = 0;
    data[1] = 0;
    for (int i = 2; i < length; i++) {
      data[i] = (byte) (seed * 31 + i);
    }
    return Chunk.of(ChunkEncoding.XOR, ByteBuffer.wrap(data));
  }

  static List<Chunk> chunks(int count, int length, long seed) {
    List<Chunk> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(chunkOfLength(length, seed + i));
    }
    return out;
  }

  static byte[] bytesOf(Chunk c) {
    ByteBuffer b = c.bytes();
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }

  @Test
  void writesHeaderAndRecordsByteForByte() throws IOException {
    XorAppender a = new XorAppender();
    a.append(1704069000099L, 1.0);
    Chunk chunk = a.toChunk();
    long[] refs;
    try (ChunkSegmentWriter w = ChunkSegmentWriter.open(tmp.resolve("chunks"))) {
      refs = w.writeSeries(List.of(chunk));
    }
    byte[] file = Files.readAllBytes(tmp.resolve("chunks/000001"));
    CRC32C crc = new CRC32C();
    crc.update(1);
    crc.update(bytesOf(chunk));
    assertThat(hex(file)).isEqualTo("85bd40dd01000000" + "10" + "01" + "0001c6aeeba698633ff0000000000000"
        + String.format("%08x", (int) crc.getValue()));
    assertThat(refs).containsExactly(8L);
  }

  @Test
  void cutsFilesWithPrometheusRules() throws IOException {
    // Data of 20 bytes: records take 1 + 1 + 20 + 4 = 26 bytes, the cut rules count 5 + 1 + 20 + 4 = 30.
    try (ChunkSegmentWriter w = new ChunkSegmentWriter(tmp, 100)) {
      // Only the header in the file: cut before chunk i > 0 when S + 8 > 100; 90 + 8 fits.
      assertThat(w.writeSeries(chunks(3, 20, 0))).containsExactly(8, 34, 60);
      // The file holds records: 86 + 30 > 100, so the whole series moves to a new file.
      assertThat(w.writeSeries(chunks(1, 20, 10))).containsExactly(ChunkRef.of(1, 8));
      // 34 + 30, 34 + 60 fit; 34 + 90 does not: the series is split.
      assertThat(w.writeSeries(chunks(3, 20, 20))).containsExactly(ChunkRef.of(1, 34), ChunkRef.of(1, 60),
          ChunkRef.of(2, 8));
      // After a cut within a call the header-only rule applies: 30, 60, 90 (+8) fit in the new file.
      assertThat(w.writeSeries(chunks(5, 20, 30))).containsExactly(ChunkRef.of(2, 34), ChunkRef.of(2, 60),
          ChunkRef.of(3, 8), ChunkRef.of(3, 34), ChunkRef.of(3, 60));
      // A chunk larger than the maximum gets a file of its own (never cut before a call's first chunk in a new file).
      assertThat(w.writeSeries(chunks(2, 200, 40))).containsExactly(ChunkRef.of(4, 8), ChunkRef.of(5, 8));
      assertThat(w.segmentCount()).isEqualTo(6);
    }
    assertThat(Files.size(tmp.resolve("000001"))).isEqualTo(86);
    assertThat(Files.size(tmp.resolve("000005"))).isEqualTo(8 + 2 + 1 + 200 + 4);
    assertThat(ChunkSegmentWriter.segmentName(5)).isEqualTo("000006");
  }

  @Test
  void everyFileHasRecordsAndEmptyCallsWriteNothingButTheFirstFile() throws IOException {
    try (ChunkSegmentWriter w = new ChunkSegmentWriter(tmp.resolve("c"), 64)) {
      assertThat(w.writeSeries(List.of())).isEmpty();
      assertThat(w.segmentCount()).as("Prometheus creates the first file on the first call").isEqualTo(1);
      w.writeSeries(chunks(4, 10, 0));
      w.writeSeries(List.of());
    }
    try (ChunkSegmentReader r = ChunkSegmentReader.open(tmp.resolve("c"))) {
      assertThat(r.verify()).isEmpty();
    }
  }

  @Test
  void roundTripsSeriesAcrossManySmallSegments() throws IOException {
    List<List<Chunk>> series = new ArrayList<>();
    List<long[]> refs = new ArrayList<>();
    try (ChunkSegmentWriter w = ChunkSegmentWriter.open(tmp.resolve("chunks"), 300)) {
      for (int s = 0; s < 40; s++) {
        List<Chunk> list = new ArrayList<>();
        for (int c = 0; c < 1 + s % 4; c++) {
          XorAppender a = new XorAppender();
          for (int i = 0; i < 1 + (s * 7 + c * 13) % 30; i++) {
            a.append(1000L * i + s, Math.sin(i + s));
          }
          list.add(a.toChunk());
        }
        if (s % 5 == 0) {
          HistogramAppender h = new HistogramAppender();
          h.append(5, HistogramChunkTest.staleHistogram());
          list.add(h.toChunk());
        }
        series.add(list);
        long[] r = w.writeSeries(list);
        for (int i = 1; i < r.length; i++) {
          assertThat(Long.compareUnsigned(r[i], r[i - 1])).as("refs increase").isPositive();
        }
        if (!refs.isEmpty()) {
          long[] previous = refs.get(refs.size() - 1);
          assertThat(Long.compareUnsigned(r[0], previous[previous.length - 1])).isPositive();
        }
        refs.add(r);
      }
      assertThat(w.segmentCount()).isGreaterThan(5);
    }
    for (boolean mapped : new boolean[] {true, false}) {
      List<ByteSource> sources = new ArrayList<>();
      try (ChunkSegmentReader r = mapped ? ChunkSegmentReader.open(tmp.resolve("chunks"), "blk/chunks")
          : ChunkSegmentReader.open(sources = arraySources(tmp.resolve("chunks")))) {
        assertThat(r.verify()).isEmpty();
        for (int s = 0; s < series.size(); s++) {
          for (int c = 0; c < series.get(s).size(); c++) {
            Chunk want = series.get(s).get(c);
            Chunk got = r.chunk(refs.get(s)[c]);
            assertThat(got.encoding()).isEqualTo(want.encoding());
            assertThat(bytesOf(got)).isEqualTo(bytesOf(want));
            if (want.encoding() == ChunkEncoding.XOR) {
              assertThat(decodeFloats(got)).isEqualTo(decodeFloats(want));
            }
            ChunkSegmentReader.RawChunk raw = r.rawChunk(refs.get(s)[c]);
            assertThat(raw.encoding()).isEqualTo(want.encoding().code());
          }
        }
      }
      for (ByteSource s : sources) {
        s.close();
      }
    }
  }

  static List<ByteSource> arraySources(Path dir) throws IOException {
    List<ByteSource> out = new ArrayList<>();
    for (Path p : ChunkSegmentReader.segmentFiles(dir)) {
      out.add(new ByteArraySource("bucket/" + p.getFileName(), Files.readAllBytes(p)));
    }
    return out;
  }

  private long[] writeSample(Path dir, int series) throws IOException {
    List<Long> all = new ArrayList<>();
    try (ChunkSegmentWriter w = ChunkSegmentWriter.open(dir, 200)) {
      for (int s = 0; s < series; s++) {
        XorAppender a = new XorAppender();
        for (int i = 0; i < 10; i++) {
          a.append(i * 15_000L, s + i * 0.25);
        }
        for (long ref : w.writeSeries(List.of(a.toChunk()))) {
          all.add(ref);
        }
      }
    }
    return all.stream().mapToLong(Long::longValue).toArray();
  }

  @Test
  void crcMismatchNamesFileOffsetExpectedAndActual() throws IOException {
    Path dir = tmp.resolve("chunks");
    long[] refs = writeSample(dir, 3);
    Path file = dir.resolve("000001");
    byte[] bytes = Files.readAllBytes(file);
    int offset = (int) ChunkRef.offset(refs[1]);
    bytes[offset + 5] ^= 0x10;
    Files.write(file, bytes);
    try (ChunkSegmentReader r = ChunkSegmentReader.open(dir, "01HXYZ/chunks")) {
      assertThat(decodeFloats(r.chunk(refs[0]))).hasSize(10);
      assertThatThrownBy(() -> r.chunk(refs[1])).isInstanceOf(CorruptChunkException.class)
          .hasMessageMatching("chunk CRC32C mismatch in 01HXYZ/chunks/000001 at offset " + offset
              + ": expected [0-9a-f]{8}, actual [0-9a-f]{8}");
      assertThat(r.verify()).singleElement().asString().startsWith("chunk CRC32C mismatch in 01HXYZ/chunks/000001");
    }
  }

  @Test
  void referencesOutsideTheFilesAreRejected() throws IOException {
    Path dir = tmp.resolve("chunks");
    long[] refs = writeSample(dir, 3);
    long size = Files.size(dir.resolve("000001"));
    try (ChunkSegmentReader r = ChunkSegmentReader.open(dir, "blk/chunks")) {
      int segments = r.segmentCount();
      assertThatThrownBy(() -> r.chunk(ChunkRef.of(segments, 8))).isInstanceOf(CorruptChunkException.class)
          .hasMessageContaining("missing segment file").hasMessageContaining(segments + " segment files exist");
      assertThatThrownBy(() -> r.chunk(-1L)).isInstanceOf(CorruptChunkException.class);
      assertThatThrownBy(() -> r.chunk(ChunkRef.of(0, 3))).isInstanceOf(CorruptChunkException.class)
          .hasMessageContaining("offset out of range in blk/chunks/000001 at offset 3");
      assertThatThrownBy(() -> r.chunk(ChunkRef.of(0, size))).isInstanceOf(CorruptChunkException.class)
          .hasMessageContaining("at offset " + size);
      // Into the middle of a record: some other bytes taken as a record fail length or CRC checks.
      assertThatThrownBy(() -> r.chunk(refs[0] + 3)).isInstanceOf(CorruptChunkException.class);
    }
  }

  @Test
  void truncatedFileFailsForTheCutRecordAndInVerify() throws IOException {
    Path dir = tmp.resolve("chunks");
    long[] refs = writeSample(dir, 2);
    Path file = dir.resolve("000001");
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(bytes, bytes.length - 3));
    try (ChunkSegmentReader r = ChunkSegmentReader.open(dir, "b/chunks")) {
      assertThat(decodeFloats(r.chunk(refs[0]))).hasSize(10);
      assertThatThrownBy(() -> r.chunk(refs[1])).isInstanceOf(CorruptChunkException.class)
          .hasMessageContaining("past the end of the segment in b/chunks/000001 at offset " + ChunkRef.offset(refs[1]))
          .hasMessageContaining("required");
      assertThat(r.verify()).hasSize(1);
    }
  }

  @Test
  void trailingBytesAfterTheLastRecordFailVerify() throws IOException {
    Path dir = tmp.resolve("chunks");
    writeSample(dir, 1);
    Path file = dir.resolve("000001");
    Files.write(file, new byte[] {0x05}, java.nio.file.StandardOpenOption.APPEND);
    try (ChunkSegmentReader r = ChunkSegmentReader.open(dir, "b/chunks")) {
      assertThat(r.verify()).singleElement().asString().contains("b/chunks/000001");
    }
  }

  @Test
  void badHeadersAreRejectedAtOpen() throws IOException {
    Path dir = tmp.resolve("chunks");
    writeSample(dir, 1);
    Path file = dir.resolve("000001");
    byte[] good = Files.readAllBytes(file);

    byte[] badMagic = good.clone();
    badMagic[0] = 0x12;
    Files.write(file, badMagic);
    assertThatThrownBy(() -> ChunkSegmentReader.open(dir, "b/chunks")).isInstanceOf(CorruptBlockException.class)
        .hasMessageContaining("magic").hasMessageContaining("b/chunks/000001");

    byte[] badVersion = good.clone();
    badVersion[4] = 2;
    Files.write(file, badVersion);
    assertThatThrownBy(() -> ChunkSegmentReader.open(dir, "b/chunks")).isInstanceOf(CorruptBlockException.class)
        .hasMessageContaining("version 2").hasMessageContaining("at offset 4");

    Files.write(file, Arrays.copyOf(good, 7));
    assertThatThrownBy(() -> ChunkSegmentReader.open(dir, "b/chunks")).isInstanceOf(CorruptBlockException.class)
        .hasMessageContaining("7 bytes");
  }

  @Test
  void missingDirectoryIsABlockWithoutChunks() throws IOException {
    try (ChunkSegmentReader r = ChunkSegmentReader.open(tmp.resolve("nope"), "x/chunks")) {
      assertThat(r.segmentCount()).isZero();
      assertThat(r.verify()).isEmpty();
      assertThatThrownBy(() -> r.chunk(8)).isInstanceOf(CorruptDataException.class);
    }
  }

  @Test
  void openRefusesADirectoryWithSegmentsAndUseAfterCloseFails() throws IOException {
    Path dir = tmp.resolve("chunks");
    long[] refs = writeSample(dir, 1);
    assertThatThrownBy(() -> ChunkSegmentWriter.open(dir)).isInstanceOf(IOException.class)
        .hasMessageContaining("already holds segment files");
    ChunkSegmentReader r = ChunkSegmentReader.open(dir);
    r.close();
    r.close();
    assertThatThrownBy(() -> r.chunk(refs[0])).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
    ChunkSegmentWriter w = new ChunkSegmentWriter(tmp.resolve("other"), 1 << 20);
    w.close();
    assertThatThrownBy(() -> w.writeSeries(List.of())).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aggrChunksAreReadRawAndRefusedByChunk() throws IOException {
    Chunk aggr = new Chunk() {
      @Override
      public ChunkEncoding encoding() {
        return ChunkEncoding.AGGR;
      }

      @Override
      public ByteBuffer bytes() {
        return ByteBuffer.wrap(new byte[] {1, 2, 3});
      }

      @Override
      public int numSamples() {
        return 0;
      }

      @Override
      public SampleIterator iterator(SampleIterator reuse) {
        return SampleIterator.empty();
      }
    };
    long[] refs;
    try (ChunkSegmentWriter w = ChunkSegmentWriter.open(tmp.resolve("chunks"))) {
      refs = w.writeSeries(List.of(aggr));
    }
    try (ChunkSegmentReader r = ChunkSegmentReader.open(tmp.resolve("chunks"))) {
      assertThat(r.rawChunk(refs[0]).encoding()).isEqualTo(255);
      assertThat(r.verify()).isEmpty();
      assertThatThrownBy(() -> r.chunk(refs[0])).isInstanceOf(OrreryException.class)
          .extracting(e -> ((OrreryException) e).code()).isEqualTo(OrreryException.ErrorCode.UNSUPPORTED);
    }
  }

  @Test
  void sourcesGivenByTheCallerStayOpen() throws IOException {
    Path dir = tmp.resolve("chunks");
    long[] refs = writeSample(dir, 2);
    List<ByteSource> sources = arraySources(dir);
    ChunkSegmentReader r = ChunkSegmentReader.open(sources);
    List<FloatSample> samples = decodeFloats(r.chunk(refs[1]));
    r.close();
    assertThat(samples).hasSize(10);
    assertThat(sources.get(0).read(0, 4).getInt(0)).isEqualTo(ChunkSegmentWriter.MAGIC);
  }
}
