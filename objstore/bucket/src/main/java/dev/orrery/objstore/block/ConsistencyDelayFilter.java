package dev.orrery.objstore.block;

import dev.orrery.core.block.BlockMeta;
import dev.orrery.core.block.Ulid;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;

import static java.util.Objects.requireNonNull;

/**
 * Ignores blocks younger (by ULID time) than a delay, giving eventually consistent stores time to show every
 * object of a fresh block (Thanos' {@code ConsistencyDelayMetaFilter}, {@code --consistency-delay}, default 30m).
 * Blocks made by the compactor or by repairs are exempt, as in Thanos.
 *
 * @param delay the minimum age
 * @param clock the clock
 */
public record ConsistencyDelayFilter(Duration delay, Clock clock) implements MetaFilter {
  private static final Set<String> EXEMPT_SOURCES = Set.of("compactor", "compactor.repair", "bucket.repair");

  /** Checks the values. */
  public ConsistencyDelayFilter {
    requireNonNull(delay, "delay is null");
    requireNonNull(clock, "clock is null");
  }

  @Override
  public void filter(SortedMap<Ulid, BlockMeta> metas, Exclusions exclusions) {
    long cutoff = clock.millis() - delay.toMillis();
    for (Map.Entry<Ulid, BlockMeta> entry : new ArrayList<>(metas.entrySet())) {
      BlockMeta meta = entry.getValue();
      String source = meta.thanos() == null ? "" : meta.thanos().source();
      if (entry.getKey().timeMillis() > cutoff && !EXEMPT_SOURCES.contains(source)) {
        exclusions.exclude(entry.getKey(), "too-fresh");
      }
    }
  }
}
