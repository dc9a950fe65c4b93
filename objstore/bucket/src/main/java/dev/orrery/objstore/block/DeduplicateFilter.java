package dev.orrery.objstore.block;

import dev.orrery.core.block.BlockMeta;
import dev.orrery.core.block.Ulid;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;

/**
 * Removes blocks whose data another block of the same resolution already holds: after compaction the parents stay
 * in the bucket until they are deleted, and a block whose {@code compaction.sources} are all among the sources of
 * another block is a duplicate (Thanos' {@code DefaultDeduplicateFilter}). Blocks are considered from the most
 * sources to the fewest, ties by ULID, so of two blocks with identical sources the older ULID is kept.
 */
public final class DeduplicateFilter implements MetaFilter {
  /** Creates the filter. */
  public DeduplicateFilter() {}

  @Override
  public void filter(SortedMap<Ulid, BlockMeta> metas, Exclusions exclusions) {
    List<BlockMeta> ordered = new ArrayList<>(metas.values());
    ordered.sort(Comparator.<BlockMeta>comparingInt(meta -> meta.compaction().sources().size()).reversed()
        .thenComparing(BlockMeta::ulid));
    List<BlockMeta> kept = new ArrayList<>();
    for (BlockMeta meta : ordered) {
      Set<Ulid> sources = new HashSet<>(meta.compaction().sources());
      boolean duplicate = false;
      for (BlockMeta bigger : kept) {
        if (resolution(bigger) == resolution(meta)
            && new HashSet<>(bigger.compaction().sources()).containsAll(sources)) {
          duplicate = true;
          break;
        }
      }
      if (duplicate) {
        exclusions.exclude(meta.ulid(), "duplicate");
      } else {
        kept.add(meta);
      }
    }
  }

  private static long resolution(BlockMeta meta) {
    return meta.thanos() == null ? 0 : meta.thanos().downsampleResolutionMillis();
  }
}
