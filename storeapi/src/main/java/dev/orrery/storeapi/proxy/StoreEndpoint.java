package dev.orrery.storeapi.proxy;

import static java.util.Objects.requireNonNull;

import dev.orrery.core.labels.Labels;
import dev.orrery.core.labels.Matcher;
import dev.orrery.core.storage.StoreStatus;
import dev.orrery.storeapi.WireLabels;
import dev.orrery.storeapi.proto.exemplars.ExemplarsGrpc;
import dev.orrery.storeapi.proto.info.InfoGrpc;
import dev.orrery.storeapi.proto.info.InfoRequest;
import dev.orrery.storeapi.proto.info.InfoResponse;
import dev.orrery.storeapi.proto.metadata.MetadataGrpc;
import dev.orrery.storeapi.proto.rules.RulesGrpc;
import dev.orrery.storeapi.proto.targets.TargetsGrpc;
import dev.orrery.storeapi.proto.thanos.StoreGrpc;
import dev.orrery.storeapi.proto.thanos.ZLabelSet;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One StoreAPI endpoint the querier talks to: its address, its gRPC channel and what its last successful {@code
 * Info} said (external label sets, time range, capabilities). An endpoint whose {@code Info} fails keeps its last
 * known state and stays in the fan-out, so that a failing store shows up as a warning (or an error) naming it rather
 * than silently disappearing. Thread-safe: the info is replaced atomically.
 */
public final class StoreEndpoint implements AutoCloseable {
  private final String address;
  private final ManagedChannel channel;
  private volatile @Nullable State state;
  private volatile @Nullable String lastError;
  private volatile @Nullable Instant lastCheck;

  /** What an endpoint's Info said. */
  record State(String componentType, List<Labels> labelSets, long minTime, long maxTime,
      boolean supportsWithoutReplicaLabels, boolean servesMetricMetadata, boolean servesRules,
      boolean servesExemplars, long exemplarsMinTime, long exemplarsMaxTime, boolean servesTargets) {}

  /**
   * An endpoint over {@code channel}, which it owns and shuts down on {@link #close()}.
   *
   * @param address the address as configured, used in messages
   */
  public StoreEndpoint(String address, ManagedChannel channel) {
    this.address = requireNonNull(address, "address is null");
    this.channel = requireNonNull(channel, "channel is null");
  }

  /** The configured address. */
  public String address() {
    return address;
  }

  /** How a failed call to this endpoint is reported: its address, then the gRPC status (or the error itself). */
  String failureMessage(Throwable failure) {
    String what = failure instanceof StatusRuntimeException ex ? ex.getStatus().getCode()
        + (ex.getStatus().getDescription() == null ? "" : ": " + ex.getStatus().getDescription())
        : String.valueOf(failure);
    return "store " + address + " failed: " + what;
  }

  ManagedChannel channel() {
    return channel;
  }

  StoreGrpc.StoreBlockingStub store() {
    return StoreGrpc.newBlockingStub(channel);
  }

  MetadataGrpc.MetadataBlockingStub metadata() {
    return MetadataGrpc.newBlockingStub(channel);
  }

  RulesGrpc.RulesBlockingStub rules() {
    return RulesGrpc.newBlockingStub(channel);
  }

  ExemplarsGrpc.ExemplarsBlockingStub exemplars() {
    return ExemplarsGrpc.newBlockingStub(channel);
  }

  TargetsGrpc.TargetsBlockingStub targets() {
    return TargetsGrpc.newBlockingStub(channel);
  }

  /**
   * Asks the endpoint's {@code Info}; on failure keeps the previous state and records the error.
   *
   * @return whether the call succeeded
   */
  public boolean refreshInfo(Duration timeout) {
    lastCheck = Instant.now();
    try {
      InfoResponse info = InfoGrpc.newBlockingStub(channel).withDeadlineAfter(timeout.toMillis(),
          TimeUnit.MILLISECONDS).info(InfoRequest.getDefaultInstance());
      List<Labels> sets = new ArrayList<>();
      for (ZLabelSet s : info.getLabelSetsList()) {
        sets.add(WireLabels.toLabels(s.getLabelsList()));
      }
      boolean hasStore = info.hasStore();
      state = new State(info.getComponentType(), List.copyOf(sets),
          hasStore ? info.getStore().getMinTime() : Long.MIN_VALUE,
          hasStore ? info.getStore().getMaxTime() : Long.MAX_VALUE,
          hasStore && info.getStore().getSupportsWithoutReplicaLabels(), info.hasMetricMetadata(), info.hasRules(),
          info.hasExemplars(), info.getExemplars().getMinTime(), info.getExemplars().getMaxTime(), info.hasTargets());
      lastError = null;
      return true;
    } catch (StatusRuntimeException e) {
      Status status = e.getStatus();
      lastError = status.getCode() + (status.getDescription() == null ? "" : ": " + status.getDescription());
      return false;
    }
  }

  @Nullable State state() {
    return state;
  }

  /**
   * What a querier shows of this endpoint: its last check and error, and what its last successful {@code Info} said;
   * {@code null} before one has answered.
   */
  public @Nullable StoreStatus status() {
    State s = state;
    Instant checked = lastCheck;
    return s == null || checked == null ? null : new StoreStatus(address, s.componentType(), checked, lastError,
        s.labelSets(), s.minTime(), s.maxTime());
  }

  /** The error of the last failed {@code Info}, or {@code null} after a success. */
  public @Nullable String lastError() {
    return lastError;
  }

  /** External label sets from the last successful Info (empty when none is known). */
  public List<Labels> labelSets() {
    State s = state;
    return s == null ? List.of() : s.labelSets();
  }

  /** Minimum time from the last successful Info, or {@code Long.MIN_VALUE}. */
  public long minTime() {
    State s = state;
    return s == null ? Long.MIN_VALUE : s.minTime();
  }

  /** Maximum time from the last successful Info, or {@code Long.MAX_VALUE}. */
  public long maxTime() {
    State s = state;
    return s == null ? Long.MAX_VALUE : s.maxTime();
  }

  /** Whether the store strips {@code without_replica_labels} itself (from the last Info; false when unknown). */
  public boolean supportsWithoutReplicaLabels() {
    State s = state;
    return s != null && s.supportsWithoutReplicaLabels();
  }

  /** Whether the last Info announced the metric metadata API (false when unknown). */
  public boolean servesMetricMetadata() {
    State s = state;
    return s != null && s.servesMetricMetadata();
  }

  /** Whether the last Info announced the targets API (false when unknown). */
  public boolean servesTargets() {
    State s = state;
    return s != null && s.servesTargets();
  }

  /** Whether the last Info announced the rules API (false when unknown). */
  public boolean servesRules() {
    State s = state;
    return s != null && s.servesRules();
  }

  /**
   * Whether the last Info announced the exemplars API with a time range that overlaps {@code [minTime, maxTime]}
   * (false when unknown).
   */
  public boolean servesExemplars(long minTime, long maxTime) {
    State s = state;
    return s != null && s.servesExemplars() && s.exemplarsMinTime() <= maxTime && s.exemplarsMaxTime() >= minTime;
  }

  /**
   * Whether this endpoint may hold data for {@code [minTime, maxTime]} and {@code matchers}: its time range overlaps
   * and one of its label sets is compatible (every matcher on a label of the set accepts the set's value). Unknown
   * info never prunes.
   */
  public boolean mayMatch(long minTime, long maxTime, Matcher[] matchers) {
    State s = state;
    if (s == null) {
      return true;
    }
    if (s.maxTime() < minTime || s.minTime() > maxTime) {
      return false;
    }
    if (s.labelSets().isEmpty()) {
      return true;
    }
    for (Labels set : s.labelSets()) {
      boolean ok = true;
      for (Matcher m : matchers) {
        if (set.has(m.name()) && !m.matches(set.get(m.name()))) {
          ok = false;
          break;
        }
      }
      if (ok) {
        return true;
      }
    }
    return false;
  }

  /** Shuts the channel down. */
  @Override
  public void close() {
    channel.shutdownNow();
  }

  @Override
  public String toString() {
    State s = state;
    return "store " + address + (s == null ? "" : " (" + s.componentType() + ")");
  }
}
