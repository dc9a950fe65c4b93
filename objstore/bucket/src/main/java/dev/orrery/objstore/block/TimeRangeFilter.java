package dev.orrery.objstore.block;

import dev.orrery.core.block.BlockMeta;
import dev.orrery.core.block.Ulid;
import java.util.ArrayList;
import java.util.Map;
import java.util.SortedMap;

/**
 * Keeps blocks that overlap {@code [minTimeMillis, maxTimeMillis)}, as Thanos' {@code TimePartitionMetaFilter}
 * (store gateway {@code --min-time}/{@code --max-time}).
 *
 * @param minTimeMillis the inclusive start
 * @param maxTimeMillis the exclusive end
 */
public record TimeRangeFilter(long minTimeMillis, long maxTimeMillis) implements MetaFilter {
  /** Checks the range. */
  public TimeRangeFilter {
    if (minTimeMillis > maxTimeMillis) {
      throw new IllegalArgumentException("minTimeMillis " + minTimeMillis + " > maxTimeMillis " + maxTimeMillis);
    }
  }

  @Override
  public void filter(SortedMap<Ulid, BlockMeta> metas, Exclusions exclusions) {
    for (Map.Entry<Ulid, BlockMeta> entry : new ArrayList<>(metas.entrySet())) {
      BlockMeta meta = entry.getValue();
      // Block ranges are half-open [minTime, maxTime).
      if (meta.maxTimeMillis() <= minTimeMillis || meta.minTimeMillis() >= maxTimeMillis) {
        exclusions.exclude(entry.getKey(), "time-excluded");
      }
    }
  }
}
