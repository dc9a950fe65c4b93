package dev.orrery.storeapi.gateway;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Picks the blocks of one external-label group that answer a time range at a maximum resolution window (FORMATS.md
 * 7.5, store side): the coarsest resolution not above the window is used where it has blocks, and every time gap it
 * leaves is filled recursively with the next finer resolution. Stateless.
 */
final class ResolutionSelection {
  private static final long[] RESOLUTIONS = {3_600_000, 300_000, 0};

  private ResolutionSelection() {}

  static List<BucketBlock> select(List<BucketBlock> group, long minTime, long maxTime, long maxResolutionWindow) {
    int start = RESOLUTIONS.length - 1;
    for (int i = 0; i < RESOLUTIONS.length; i++) {
      if (RESOLUTIONS[i] <= maxResolutionWindow) {
        start = i;
        break;
      }
    }
    List<BucketBlock> out = new ArrayList<>();
    select(group, minTime, maxTime, start, out);
    return out;
  }

  private static void select(List<BucketBlock> group, long minTime, long maxTime, int level, List<BucketBlock> out) {
    if (minTime > maxTime) {
      return;
    }
    long res = RESOLUTIONS[level];
    List<BucketBlock> blocks = new ArrayList<>();
    for (BucketBlock b : group) {
      // Block ranges are half-open [minTime, maxTime); the request is inclusive.
      if (b.resolution() == res && b.meta().minTimeMillis() <= maxTime && b.meta().maxTimeMillis() > minTime) {
        blocks.add(b);
      }
    }
    blocks.sort(Comparator.comparingLong(b -> b.meta().minTimeMillis()));
    if (level == RESOLUTIONS.length - 1) {
      out.addAll(blocks);
      return;
    }
    long cur = minTime;
    for (BucketBlock b : blocks) {
      if (b.meta().minTimeMillis() > cur) {
        select(group, cur, b.meta().minTimeMillis() - 1, level + 1, out);
      }
      out.add(b);
      cur = Math.max(cur, b.meta().maxTimeMillis());
    }
    if (cur <= maxTime) {
      select(group, cur, maxTime, level + 1, out);
    }
  }
}
