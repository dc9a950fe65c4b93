package dev.orrery.examples.cli;

import dev.orrery.core.block.BlockMeta;
import dev.orrery.core.block.BlockSize;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/** The inspect table: one row per block, sorted by external labels and then time. */
final class BlockTable {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
      .withZone(ZoneOffset.UTC);

  private BlockTable() {}

  static void print(PrintWriter out, List<Path> blockDirs) throws IOException {
    List<BlockMeta> metas = new ArrayList<>();
    for (Path dir : blockDirs) {
      metas.add(BlockMeta.read(dir));
    }
    metas.sort(Comparator.comparing(BlockTable::labels).thenComparingLong(BlockMeta::minTimeMillis));
    TextTable table = new TextTable(List.of("ULID", "FROM (UTC)", "UNTIL (UTC)", "RANGE", "SERIES", "SAMPLES",
        "CHUNKS", "SIZE", "RES", "LEVEL", "LABELS"));
    for (BlockMeta m : metas) {
      Path dir = blockDirs.get(0).resolveSibling(m.ulid().toString());
      table.add(List.of(m.ulid().toString(), time(m.minTimeMillis()), time(m.maxTimeMillis()),
          duration(m.maxTimeMillis() - m.minTimeMillis()), Long.toString(m.stats().numSeries()),
          Long.toString(m.stats().numSamples()), Long.toString(m.stats().numChunks()), bytes(BlockSize.of(dir)),
          m.thanos() == null ? "raw" : resolution(m.thanos().downsampleResolutionMillis()),
          Integer.toString(m.compaction().level()), labels(m)));
    }
    table.print(out, TextTable.Style.ALIGNED);
  }

  /** A timestamp as {@code yyyy-MM-dd HH:mm:ss} in UTC. */
  static String time(long millis) {
    return TIME.format(Instant.ofEpochMilli(millis));
  }

  /** The external labels as {@code name=value} pairs joined by commas, in name order; empty without them. */
  static String labels(BlockMeta m) {
    if (m.thanos() == null) {
      return "";
    }
    return m.thanos().labels().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(","));
  }

  /** A resolution as the RES column shows it: {@code raw}, {@code 5m}, {@code 1h}. */
  static String resolution(long millis) {
    return millis == 0 ? "raw" : duration(millis);
  }

  /** A duration such as {@code 2h}, {@code 1h30m} or {@code 45s}; negative ones start with {@code -}. */
  static String duration(long millis) {
    if (millis < 0) {
      return "-" + duration(millis == Long.MIN_VALUE ? Long.MAX_VALUE : -millis);
    }
    long s = millis / 1000;
    long h = s / 3600;
    long m = s % 3600 / 60;
    long sec = s % 60;
    StringBuilder sb = new StringBuilder();
    if (h > 0) {
      sb.append(h).append('h');
    }
    if (m > 0) {
      sb.append(m).append('m');
    }
    if (sec > 0 || sb.isEmpty()) {
      sb.append(sec).append('s');
    }
    return sb.toString();
  }

  /** A size such as {@code 512B} or {@code 1.5MiB}. */
  static String bytes(long n) {
    if (n < 1024) {
      return n + "B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = n;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format("%.1f%s", v, units[u]);
  }

}
