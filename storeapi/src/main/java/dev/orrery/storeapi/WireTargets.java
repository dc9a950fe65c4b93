package dev.orrery.storeapi;

import dev.orrery.core.storage.StoreOptions;
import dev.orrery.core.targets.ActiveTarget;
import dev.orrery.core.targets.DroppedTarget;
import dev.orrery.core.targets.TargetDiscovery;
import dev.orrery.storeapi.proto.targets.TargetHealth;
import dev.orrery.storeapi.proto.targets.TargetsRequest;
import dev.orrery.storeapi.proto.targets.TargetsResponse;
import dev.orrery.storeapi.proto.thanos.PartialResponseStrategy;
import java.util.ArrayList;
import java.util.List;

/** Conversions between the {@code thanos.Targets} wire messages and {@code core}'s targets. */
public final class WireTargets {
  private WireTargets() {}

  /** The request for targets in {@code state} ({@code active}, {@code dropped} or {@code null} for both). */
  public static TargetsRequest request(String state, StoreOptions options) {
    TargetsRequest.State s = state == null ? TargetsRequest.State.ANY
        : state.equals("active") ? TargetsRequest.State.ACTIVE : TargetsRequest.State.DROPPED;
    boolean partial = Boolean.TRUE.equals(options.partialResponse());
    return TargetsRequest.newBuilder().setState(s)
        .setPartialResponseStrategy(partial ? PartialResponseStrategy.WARN : PartialResponseStrategy.ABORT).build();
  }

  /** The state a request asks for: {@code active}, {@code dropped}, or {@code null} for both. */
  public static String state(TargetsRequest request) {
    return switch (request.getState()) {
      case ACTIVE -> "active";
      case DROPPED -> "dropped";
      default -> null;
    };
  }

  /** The store options a request asks for: partial response under {@code WARN}. */
  public static StoreOptions options(TargetsRequest request) {
    return new StoreOptions(null, null, request.getPartialResponseStrategy() == PartialResponseStrategy.WARN, null);
  }

  /** The frames answering a request: one with the targets, then one per warning. */
  public static List<TargetsResponse> responses(TargetDiscovery targets) {
    dev.orrery.storeapi.proto.targets.TargetDiscovery.Builder d =
        dev.orrery.storeapi.proto.targets.TargetDiscovery.newBuilder();
    for (ActiveTarget t : targets.active()) {
      d.addActiveTargets(dev.orrery.storeapi.proto.targets.ActiveTarget.newBuilder()
          .setDiscoveredLabels(WireLabels.toPlainLabelSet(t.discoveredLabels()))
          .setLabels(WireLabels.toPlainLabelSet(t.labels())).setScrapePool(t.scrapePool()).setScrapeUrl(t.scrapeUrl())
          .setGlobalUrl(t.globalUrl()).setLastError(t.lastError()).setLastScrape(WireTimes.timestamp(t.lastScrape()))
          .setLastScrapeDuration(t.lastScrapeDurationSeconds()).setHealth(health(t.health())));
    }
    for (DroppedTarget t : targets.dropped()) {
      d.addDroppedTargets(dev.orrery.storeapi.proto.targets.DroppedTarget.newBuilder()
          .setDiscoveredLabels(WireLabels.toPlainLabelSet(t.discoveredLabels())));
    }
    List<TargetsResponse> out = new ArrayList<>(1 + targets.warnings().size());
    out.add(TargetsResponse.newBuilder().setTargets(d).build());
    for (String w : targets.warnings()) {
      out.add(TargetsResponse.newBuilder().setWarning(w).build());
    }
    return out;
  }

  /** Adds one received frame: its targets to {@code active} and {@code dropped}, or its warning. */
  public static void addTo(List<ActiveTarget> active, List<DroppedTarget> dropped, List<String> warnings,
      TargetsResponse response) {
    switch (response.getResultCase()) {
      case TARGETS -> {
        for (dev.orrery.storeapi.proto.targets.ActiveTarget t : response.getTargets().getActiveTargetsList()) {
          active.add(new ActiveTarget(WireLabels.toLabels(t.getDiscoveredLabels().getLabelsList()),
              WireLabels.toLabels(t.getLabels().getLabelsList()), t.getScrapePool(), t.getScrapeUrl(),
              t.getGlobalUrl(), t.getLastError(), WireTimes.instant(t.getLastScrape()), t.getLastScrapeDuration(),
              health(t.getHealth())));
        }
        for (dev.orrery.storeapi.proto.targets.DroppedTarget t : response.getTargets().getDroppedTargetsList()) {
          dropped.add(new DroppedTarget(WireLabels.toLabels(t.getDiscoveredLabels().getLabelsList())));
        }
      }
      case WARNING -> warnings.add(response.getWarning());
      case RESULT_NOT_SET -> { }
    }
  }

  private static TargetHealth health(String health) {
    return switch (health) {
      case "up" -> TargetHealth.UP;
      case "down" -> TargetHealth.DOWN;
      default -> TargetHealth.HEALTH_UNKNOWN;
    };
  }

  private static String health(TargetHealth health) {
    return switch (health) {
      case UP -> "up";
      case DOWN -> "down";
      default -> "unknown";
    };
  }
}
