package dev.orrery.objstore.block;

import dev.orrery.core.block.BlockMeta;
import dev.orrery.core.block.BlockWriter;
import dev.orrery.core.labels.Labels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Writes small real TSDB blocks with core's {@link BlockWriter}, as Prometheus would leave them in its data dir. */
final class TestBlocks {
  private TestBlocks() {}

  /** Writes a block of {@code series} series with {@code samples} samples each, starting at {@code startMillis}. */
  static BlockMeta write(Path dataDir, long startMillis, int series, int samples) throws IOException {
    try (BlockWriter writer = BlockWriter.builder(dataDir).build()) {
      for (int s = 0; s < series; s++) {
        Labels labels = Labels.of("__name__", "http_requests_total", "instance", "host-" + s, "job", "api");
        for (int i = 0; i < samples; i++) {
          writer.append(labels, startMillis + i * 15_000L, s * 1000 + i);
        }
      }
      return writer.commit();
    }
  }

  /** Returns every file of a block directory by relative path with '/' separators. */
  static Map<String, byte[]> files(Path blockDir) throws IOException {
    Map<String, byte[]> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(blockDir)) {
      walk.filter(Files::isRegularFile).forEach(path -> {
        try {
          files.put(blockDir.relativize(path).toString().replace('\\', '/'), Files.readAllBytes(path));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
    return files;
  }
}
