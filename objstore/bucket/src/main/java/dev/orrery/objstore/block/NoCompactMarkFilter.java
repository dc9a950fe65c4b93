package dev.orrery.objstore.block;

import static java.util.Objects.requireNonNull;

import dev.orrery.core.block.BlockMeta;
import dev.orrery.core.block.Ulid;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Gathers the {@code no-compact-mark.json} of every fetched block for the compactor's planner, which leaves those
 * blocks out (Thanos' {@code GatherNoCompactionMarkFilter}). It removes no block: marked blocks are still served
 * and still downsampled. Marks are read through a {@link MetaFetcher} so they are read concurrently.
 */
public final class NoCompactMarkFilter implements MetaFilter {
  private final BlockBucket blocks;
  private final MetaFetcher reader;
  private volatile Map<Ulid, NoCompactMark> marks = Map.of();

  /**
   * Creates the filter.
   *
   * @param blocks the bucket the marks are read from
   * @param reader a fetcher over the same bucket whose executor and concurrency are used for reading marks
   */
  public NoCompactMarkFilter(BlockBucket blocks, MetaFetcher reader) {
    this.blocks = requireNonNull(blocks, "blocks is null");
    this.reader = requireNonNull(reader, "reader is null");
  }

  /** The no-compact marks found by the last run, by block. */
  public Map<Ulid, NoCompactMark> noCompactMarks() {
    return marks;
  }

  @Override
  public void filter(SortedMap<Ulid, BlockMeta> metas, Exclusions exclusions) throws IOException {
    ConcurrentMap<Ulid, NoCompactMark> found = new ConcurrentHashMap<>();
    reader.forEachConcurrently(new ArrayList<>(metas.keySet()), id -> {
      NoCompactMark mark = blocks.noCompactMark(id);
      if (mark != null) {
        found.put(id, mark);
      }
    });
    marks = Collections.unmodifiableMap(new TreeMap<>(found));
  }
}
