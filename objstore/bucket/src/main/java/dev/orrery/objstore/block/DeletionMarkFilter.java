package dev.orrery.objstore.block;

import dev.orrery.core.block.BlockMeta;
import dev.orrery.core.block.Ulid;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import static java.util.Objects.requireNonNull;

/**
 * Removes blocks whose {@code deletion-mark.json} is older than a delay (Thanos' {@code
 * IgnoreDeletionMarkFilter}; a delay of zero removes every marked block), reading the marks through a {@link
 * MetaFetcher} so they are read concurrently. The marks seen by the last run are kept for the compactor's
 * garbage collection ({@link #deletionMarks()}).
 */
public final class DeletionMarkFilter implements MetaFilter {
  private final MetaFetcher reader;
  private final BlockBucket blocks;
  private final Duration delay;
  private final Clock clock;
  private volatile Map<Ulid, DeletionMark> marks = Map.of();

  /**
   * Creates the filter.
   *
   * @param blocks the bucket the marks are read from
   * @param reader a fetcher over the same bucket whose executor and concurrency are used for reading marks
   * @param delay how old a mark must be for its block to be removed
   * @param clock the clock
   */
  public DeletionMarkFilter(BlockBucket blocks, MetaFetcher reader, Duration delay, Clock clock) {
    this.blocks = requireNonNull(blocks, "blocks is null");
    this.reader = requireNonNull(reader, "reader is null");
    this.delay = requireNonNull(delay, "delay is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  /** Returns the deletion marks found by the last run, by block. */
  public Map<Ulid, DeletionMark> deletionMarks() {
    return marks;
  }

  @Override
  public void filter(SortedMap<Ulid, BlockMeta> metas, Exclusions exclusions) throws IOException {
    ConcurrentMap<Ulid, DeletionMark> found = new ConcurrentHashMap<>();
    reader.forEachConcurrently(new ArrayList<>(metas.keySet()), id -> {
      DeletionMark mark = blocks.deletionMark(id);
      if (mark != null) {
        found.put(id, mark);
      }
    });
    long cutoff = clock.instant().minus(delay).getEpochSecond();
    for (Map.Entry<Ulid, DeletionMark> entry : found.entrySet()) {
      if (entry.getValue().deletionTime().getEpochSecond() <= cutoff) {
        exclusions.exclude(entry.getKey(), "marked-for-deletion");
      }
    }
    marks = Collections.unmodifiableMap(found);
  }
}
