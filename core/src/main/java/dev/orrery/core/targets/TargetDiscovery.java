package dev.orrery.core.targets;

import dev.orrery.core.labels.Labels;
import dev.orrery.core.labels.Utf8Order;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * An answer of a {@link TargetsSource}: active and dropped targets, and the warnings of sources that failed under
 * partial response. Immutable.
 *
 * @param active the targets scraped
 * @param dropped the targets relabelling dropped
 * @param warnings what went wrong without failing the call
 */
public record TargetDiscovery(List<ActiveTarget> active, List<DroppedTarget> dropped, List<String> warnings) {
  /** No targets and no warnings. */
  public static final TargetDiscovery EMPTY = new TargetDiscovery(List.of(), List.of(), List.of());

  private static final Comparator<ActiveTarget> ACTIVE_ORDER = Comparator
      .comparing(ActiveTarget::scrapeUrl, Utf8Order.COMPARATOR)
      .thenComparing(ActiveTarget::scrapePool, Utf8Order.COMPARATOR)
      .thenComparing(ActiveTarget::discoveredLabels)
      .thenComparing(ActiveTarget::labels);
  private static final Comparator<DroppedTarget> DROPPED_ORDER = Comparator.comparing(DroppedTarget::discoveredLabels);

  /** Copies the lists. */
  public TargetDiscovery {
    active = List.copyOf(active);
    dropped = List.copyOf(dropped);
    warnings = List.copyOf(warnings);
  }

  /**
   * These targets with {@code external} added to their discovered labels and labels (an external label wins over one
   * of the same name), as a sidecar shows its Prometheus' targets.
   */
  public TargetDiscovery withExternalLabels(Labels external) {
    if (external.isEmpty()) {
      return this;
    }
    return new TargetDiscovery(
        active.stream().map(t -> t.withLabels(t.discoveredLabels().withAll(external), t.labels().withAll(external)))
            .toList(),
        dropped.stream().map(t -> new DroppedTarget(t.discoveredLabels().withAll(external))).toList(), warnings);
  }

  /**
   * Merges the targets of several sources as Thanos' querier does: {@code replicaLabels} are dropped from the labels,
   * and targets then equal (URL, pool and labels) are one; of such replicas the one kept is the first in health order
   * ({@code down}, {@code up}, {@code unknown}, as Thanos orders them), then the one scraped last. Targets come out
   * sorted by URL, pool and labels.
   */
  public static TargetDiscovery merge(List<ActiveTarget> active, List<DroppedTarget> dropped,
      Collection<String> replicaLabels, List<String> warnings) {
    List<ActiveTarget> a = new ArrayList<>(active.size());
    for (ActiveTarget t : active) {
      a.add(t.withLabels(t.discoveredLabels().without(replicaLabels), t.labels().without(replicaLabels)));
    }
    a.sort(ACTIVE_ORDER);
    List<ActiveTarget> keptActive = new ArrayList<>(a.size());
    for (ActiveTarget t : a) {
      int last = keptActive.size() - 1;
      if (last >= 0 && ACTIVE_ORDER.compare(keptActive.get(last), t) == 0) {
        if (preferred(t, keptActive.get(last))) {
          keptActive.set(last, t);
        }
      } else {
        keptActive.add(t);
      }
    }
    List<DroppedTarget> d = new ArrayList<>(dropped.size());
    for (DroppedTarget t : dropped) {
      d.add(new DroppedTarget(t.discoveredLabels().without(replicaLabels)));
    }
    d.sort(DROPPED_ORDER);
    List<DroppedTarget> keptDropped = new ArrayList<>(d.size());
    for (DroppedTarget t : d) {
      if (keptDropped.isEmpty() || DROPPED_ORDER.compare(keptDropped.get(keptDropped.size() - 1), t) != 0) {
        keptDropped.add(t);
      }
    }
    return new TargetDiscovery(keptActive, keptDropped, warnings);
  }

  private static boolean preferred(ActiveTarget candidate, ActiveTarget kept) {
    int d = Integer.compare(healthRank(candidate.health()), healthRank(kept.health()));
    if (d != 0) {
      return d < 0;
    }
    Instant c = candidate.lastScrape();
    Instant k = kept.lastScrape();
    return c != null && (k == null || c.isAfter(k));
  }

  // Thanos' TargetHealth enum order: DOWN, UP, UNKNOWN.
  private static int healthRank(String health) {
    return switch (health) {
      case "down" -> 0;
      case "up" -> 1;
      default -> 2;
    };
  }
}
