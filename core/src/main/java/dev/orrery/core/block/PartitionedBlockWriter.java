package dev.orrery.core.block;

import dev.orrery.core.histogram.FloatHistogram;
import dev.orrery.core.labels.Labels;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes samples spanning any time range as several blocks, one per aligned window of {@code blockRangeMillis}
 * (2 hours by default, aligned to multiples of the range since the epoch, as Prometheus and promtool cut them).
 * Confined to one thread.
 */
public final class PartitionedBlockWriter {
  /** Prometheus' default block range: 2 hours. */
  public static final long DEFAULT_BLOCK_RANGE_MILLIS = 2 * 3_600_000L;

  private final BlockWriter.Builder blockOptions;
  private final long rangeMillis;
  private final TreeMap<Long, BlockWriter> windows = new TreeMap<>();

  private PartitionedBlockWriter(BlockWriter.Builder blockOptions, long rangeMillis) {
    this.blockOptions = blockOptions;
    this.rangeMillis = rangeMillis;
  }

  /** A builder writing into {@code parentDir}. */
  public static Builder builder(Path parentDir) {
    return new Builder(parentDir);
  }

  /** Adds a float sample to the block of its window. */
  public void append(Labels labels, long timestampMillis, double value) {
    writerFor(timestampMillis).append(labels, timestampMillis, value);
  }

  /** Adds a native histogram sample to the block of its window. */
  public void append(Labels labels, long timestampMillis, FloatHistogram histogram) {
    writerFor(timestampMillis).append(labels, timestampMillis, histogram);
  }

  private BlockWriter writerFor(long timestampMillis) {
    return windows.computeIfAbsent(Math.floorDiv(timestampMillis, rangeMillis), w -> blockOptions.build());
  }

  /** Writes every window's block, oldest first, and returns their metas. */
  public List<BlockMeta> commit() throws IOException {
    List<BlockMeta> out = new ArrayList<>();
    for (BlockWriter w : windows.values()) {
      out.add(w.commit());
    }
    windows.clear();
    return out;
  }

  /** Options: those of {@link BlockWriter.Builder} plus the block range. */
  public static final class Builder {
    private final BlockWriter.Builder block;
    private long rangeMillis = DEFAULT_BLOCK_RANGE_MILLIS;

    private Builder(Path parentDir) {
      this.block = BlockWriter.builder(parentDir);
    }

    /** Block range (default 2h). */
    public Builder blockRangeMillis(long millis) {
      if (millis <= 0) {
        throw new IllegalArgumentException("block range must be positive: " + millis);
      }
      this.rangeMillis = millis;
      return this;
    }

    /** See {@link BlockWriter.Builder#externalLabels}. */
    public Builder externalLabels(Map<String, String> labels) {
      block.externalLabels(labels);
      return this;
    }

    /** See {@link BlockWriter.Builder#source}. */
    public Builder source(String source) {
      block.source(source);
      return this;
    }

    /** See {@link BlockWriter.Builder#samplesPerChunk}. */
    public Builder samplesPerChunk(int n) {
      block.samplesPerChunk(n);
      return this;
    }

    /** The writer. */
    public PartitionedBlockWriter build() {
      return new PartitionedBlockWriter(block, rangeMillis);
    }
  }
}
