package dev.orrery.core.dedup;

import java.util.Arrays;

/**
 * Splits one series' chunks, sorted by minimum time, into lists whose chunks do not overlap ("virtual replicas",
 * FORMATS.md 9.1 step 3): chunk 0 goes to list 0; each following chunk goes to the first list whose last chunk ends
 * before the chunk starts ({@code maxTime < chunk.minTime}), otherwise a new list is started. Stateless.
 */
public final class OverlapSplit {
  private OverlapSplit() {}

  /**
   * Assigns each chunk to a list.
   *
   * @param minTimes chunk minimum times, ascending
   * @param maxTimes chunk maximum times, same order
   * @param n number of chunks to read from the arrays
   * @param listOf receives, for each chunk, the index of its list; at least {@code n} long
   * @return the number of lists
   */
  public static int assign(long[] minTimes, long[] maxTimes, int n, int[] listOf) {
    if (n == 0) {
      return 0;
    }
    long[] lastMax = new long[4];
    int lists = 0;
    for (int i = 0; i < n; i++) {
      int target = -1;
      for (int l = 0; l < lists; l++) {
        if (lastMax[l] < minTimes[i]) {
          target = l;
          break;
        }
      }
      if (target < 0) {
        if (lists == lastMax.length) {
          lastMax = Arrays.copyOf(lastMax, lists * 2);
        }
        target = lists++;
      }
      lastMax[target] = maxTimes[i];
      listOf[i] = target;
    }
    return lists;
  }
}
