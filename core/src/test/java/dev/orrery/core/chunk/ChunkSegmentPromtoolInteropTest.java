package dev.orrery.core.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orrery.core.block.Block;
import dev.orrery.core.index.ChunkMetas;
import dev.orrery.core.index.Postings;
import dev.orrery.core.testing.HarnessDataSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Segment files written by real {@code promtool tsdb create-blocks-from openmetrics} (Prometheus 2.42) are rebuilt byte
 * for byte: every chunk read back through {@link ChunkSegmentReader} and written again with
 * {@link ChunkSegmentWriter}, one call per series in index order, as Prometheus' compactor does.
 */
@Tag("interop")
class ChunkSegmentPromtoolInteropTest {
  @TempDir
  Path tmp;

  @Test
  void promtoolSegmentFilesAreRebuiltByteForByte() throws Exception {
    Path blocks = HarnessDataSet.SMALL.promtoolBlocks();
    List<Path> dirs;
    try (Stream<Path> list = Files.list(blocks)) {
      dirs = list.filter(d -> Files.exists(d.resolve("index"))).sorted().toList();
    }
    assertThat(dirs).isNotEmpty();
    long chunks = 0;
    for (Path dir : dirs) {
      Path out = tmp.resolve(dir.getFileName().toString());
      try (Block block = Block.open(dir);
          ChunkSegmentWriter writer = ChunkSegmentWriter.open(out, ChunkSegmentWriter.DEFAULT_MAX_SEGMENT_BYTES)) {
        ChunkSegmentReader reader = block.chunks();
        assertThat(reader.verify()).isEmpty();
        ChunkMetas metas = new ChunkMetas();
        Postings all = block.index().allPostings();
        while (all.next()) {
          block.index().series(all.at(), metas);
          List<Chunk> series = new ArrayList<>();
          for (int i = 0; i < metas.size(); i++) {
            series.add(reader.chunk(metas.ref(i)));
          }
          long[] refs = writer.writeSeries(series);
          for (int i = 0; i < refs.length; i++) {
            assertThat(refs[i]).as("ref of chunk %s", i).isEqualTo(metas.ref(i));
          }
          chunks += refs.length;
        }
      }
      List<Path> original = ChunkSegmentReader.segmentFiles(dir.resolve("chunks"));
      List<Path> rebuilt = ChunkSegmentReader.segmentFiles(out);
      assertThat(rebuilt).hasSameSizeAs(original);
      for (int i = 0; i < original.size(); i++) {
        assertThat(Files.mismatch(original.get(i), rebuilt.get(i))).as("first differing byte of %s", rebuilt.get(i))
            .isEqualTo(-1);
      }
    }
    assertThat(chunks).isGreaterThan(5000);
  }
}
