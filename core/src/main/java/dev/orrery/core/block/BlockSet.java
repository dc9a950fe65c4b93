package dev.orrery.core.block;

import dev.orrery.core.storage.MergeQuerier;
import dev.orrery.core.storage.Querier;
import dev.orrery.core.storage.Queryable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Several open blocks queried as one: a querier selects from every block whose time range overlaps the query and
 * merges the results in label order, chaining the same series across blocks. Thread-safe; owns its blocks and closes
 * them.
 */
public final class BlockSet implements Queryable, AutoCloseable {
  private final List<Block> blocks;
  private final boolean withExternalLabels;

  /** Takes ownership of {@code blocks}; series are shown with their own labels only. */
  public BlockSet(List<Block> blocks) {
    this(blocks, false);
  }

  private BlockSet(List<Block> blocks, boolean withExternalLabels) {
    this.blocks = List.copyOf(blocks);
    this.withExternalLabels = withExternalLabels;
  }

  /**
   * The same blocks, with each block's external labels (meta.json's Thanos section) added to its series, as a store
   * gateway serves a bucket. Blocks of different clusters then hold different series. Shares the blocks: close only
   * one of the two sets.
   */
  public BlockSet withExternalLabels() {
    return new BlockSet(blocks, true);
  }

  /**
   * Opens every raw block directly under {@code dir} (see {@link BlockDirectory#blockDirs}). Downsampled blocks (a
   * Thanos resolution other than 0) are left out: their aggregate chunks hold no raw samples, and their windows would
   * count the raw blocks' data a second time; a store gateway serves them.
   */
  public static BlockSet open(Path dir) throws IOException {
    List<Block> opened = new ArrayList<>();
    try {
      for (Path p : BlockDirectory.blockDirs(dir)) {
        Block block = Block.open(p);
        BlockMeta.ThanosMeta thanos = block.meta().thanos();
        if (thanos != null && thanos.downsampleResolutionMillis() != 0) {
          block.close();
          continue;
        }
        opened.add(block);
      }
    } catch (IOException | RuntimeException e) {
      for (Block b : opened) {
        try {
          b.close();
        } catch (IOException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    }
    return new BlockSet(opened);
  }

  /** The blocks, in ULID order. */
  public List<Block> blocks() {
    return blocks;
  }

  @Override
  public Querier querier(long minTimeMillis, long maxTimeMillis) {
    List<Querier> queriers = new ArrayList<>();
    for (Block b : blocks) {
      BlockMeta m = b.meta();
      if (m.minTimeMillis() <= maxTimeMillis && m.maxTimeMillis() > minTimeMillis) {
        Querier q = b.querier(minTimeMillis, maxTimeMillis);
        if (withExternalLabels && m.thanos() != null && !m.thanos().labels().isEmpty()) {
          q = new ExternalLabelsQuerier(q, m.thanos().labels());
        }
        queriers.add(q);
      }
    }
    return new MergeQuerier(queriers);
  }

  @Override
  public void close() throws IOException {
    Block.closeAll(blocks);
  }
}
