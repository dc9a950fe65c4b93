package dev.orrery.objstore.block;

import dev.orrery.core.block.BlockMeta;
import dev.orrery.core.block.Ulid;
import java.io.IOException;
import java.util.SortedMap;

/**
 * Removes blocks from a {@link MetaFetcher} result, as Thanos' {@code MetadataFilter}s do: by time range ({@link
 * TimeRangeFilter}), external labels ({@link ExternalLabelsFilter}), age ({@link ConsistencyDelayFilter}),
 * deletion marks ({@link DeletionMarkFilter}) and compaction duplicates ({@link DeduplicateFilter}).
 */
@FunctionalInterface
public interface MetaFilter {
  /** Receives the blocks a filter removes. */
  @FunctionalInterface
  interface Exclusions {
    /**
     * Removes a block from the result.
     *
     * @param id the block
     * @param reason a short kebab-case reason, reported in {@link MetaFetcher.FetchResult#filtered()}
     */
    void exclude(Ulid id, String reason);
  }

  /**
   * Decides which blocks to remove. Must not modify {@code metas} directly.
   *
   * @param metas the blocks left by earlier filters, read-only
   * @param exclusions where to report removed blocks
   * @throws IOException if the filter needs the bucket and cannot read it
   */
  void filter(SortedMap<Ulid, BlockMeta> metas, Exclusions exclusions) throws IOException;
}
