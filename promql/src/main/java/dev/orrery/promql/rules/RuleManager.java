package dev.orrery.promql.rules;

import static java.util.Objects.requireNonNull;

import dev.orrery.core.OrreryException;
import dev.orrery.core.chunk.StaleNaN;
import dev.orrery.core.chunk.SampleIterator;
import dev.orrery.core.chunk.ValueType;
import dev.orrery.core.labels.Labels;
import dev.orrery.core.labels.Matcher;
import dev.orrery.core.storage.Querier;
import dev.orrery.core.storage.SeriesSet;
import dev.orrery.core.storage.Queryable;
import dev.orrery.promql.ast.Expr;
import dev.orrery.promql.engine.Engine;
import dev.orrery.promql.engine.Query;
import dev.orrery.promql.engine.QueryException;
import dev.orrery.promql.engine.QueryResult;
import dev.orrery.promql.engine.Sample;
import dev.orrery.promql.http.RulesEndpoint;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ruler: evaluates rule groups with the PromQL engine over a {@link Queryable} (typically the querier's fan-out
 * over every store), stores what recording rules produce and the alerts' {@code ALERTS} series in a {@link
 * RuleStorage}, and sends alerts to Alertmanager, as Prometheus' rule manager does.
 *
 * <ul>
 *   <li>Each group is evaluated every {@code interval}, at timestamps on that interval's grid shifted by a per-group
 *       offset (so groups spread out), its rules in order: a rule's query sees the source and everything recorded so
 *       far, including by the rules before it in the same evaluation.
 *   <li>A series a rule produced last time and not this time gets a staleness marker.
 *   <li>A failing rule (query error, duplicate series, limit) is marked {@code err} with the reason; the other rules
 *       of its group still run, and its alerts stay as they were.
 *   <li>After a group's first evaluation, pending alerts continue the {@code for} they had served before a restart,
 *       read from the {@code ALERTS_FOR_STATE} series (no {@code ALERTS} series are written before that).
 *   <li>Firing alerts are sent every {@code resendDelay} (default 1m) with an end time four send periods ahead, and
 *       once more when resolved, to the {@link AlertmanagerNotifier} if there is one.
 * </ul>
 *
 * <p>{@link #start} runs the groups on a scheduler; {@link #evaluate} runs every group once at a given time (for
 * tests and one-shot runs). Thread-safe. {@link #close()} stops the schedule.
 */
public final class RuleManager implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RuleManager.class);

  private final Engine engine;
  private final Queryable queryable;
  private final RuleStorage storage;
  private final Map<String, String> externalLabels;
  private final @Nullable AlertmanagerNotifier notifier;
  private final Duration resendDelay;
  private final String externalUrl;
  private final Clock clock;
  private final Duration outageTolerance;
  private final Duration forGracePeriod;
  private volatile List<GroupState> groups = List.of();
  private final List<ScheduledFuture<?>> schedules = new ArrayList<>();

  private RuleManager(Builder b) {
    this.engine = b.engine;
    this.storage = b.storage;
    this.queryable = Queryable.merge(List.of(b.queryable, b.storage));
    this.externalLabels = Map.copyOf(b.externalLabels);
    this.notifier = b.notifier;
    this.resendDelay = b.resendDelay;
    this.externalUrl = b.externalUrl;
    this.clock = b.clock;
    this.outageTolerance = b.outageTolerance;
    this.forGracePeriod = b.forGracePeriod;
  }

  /** A builder evaluating with {@code engine} over {@code queryable}. */
  public static Builder builder(Engine engine, Queryable queryable) {
    return new Builder(engine, queryable);
  }

  /**
   * Replaces the rule groups. Alert state starts afresh (pending alerts become pending again from their next
   * evaluation). Call before {@link #start}, or {@link #close()} and start again.
   */
  public synchronized void load(List<RuleGroup> ruleGroups) {
    List<GroupState> states = new ArrayList<>(ruleGroups.size());
    for (RuleGroup g : ruleGroups) {
      states.add(new GroupState(g));
    }
    groups = List.copyOf(states);
  }

  /** The storage holding the recorded series and the {@code ALERTS} series. */
  public RuleStorage storage() {
    return storage;
  }

  /**
   * Evaluates every group once at {@code timestampMillis}, in order, on the calling thread.
   */
  public void evaluate(long timestampMillis) {
    for (GroupState g : groups) {
      g.evaluate(timestampMillis);
    }
  }

  /**
   * Schedules every group on {@code scheduler} at its interval, first at the next point of its grid. A group whose
   * previous evaluation still runs skips a turn.
   */
  public synchronized void start(ScheduledExecutorService scheduler) {
    long now = clock.millis();
    for (GroupState g : groups) {
      long interval = g.group.interval().toMillis();
      long first = g.nextEvaluation(now);
      AtomicBoolean running = new AtomicBoolean();
      schedules.add(scheduler.scheduleAtFixedRate(() -> {
        if (!running.compareAndSet(false, true)) {
          LOG.warn("rule group {} skipped an evaluation: the previous one is still running", g.group.name());
          return;
        }
        try {
          g.evaluate(g.evaluationTime(clock.millis()));
        } catch (RuntimeException e) {
          LOG.error("rule group {} failed", g.group.name(), e);
        } finally {
          running.set(false);
        }
      }, first - now, interval, TimeUnit.MILLISECONDS));
    }
  }

  /** The groups with their rules' health and alerts, for the API. */
  public List<GroupStatus> groups() {
    List<GroupStatus> out = new ArrayList<>();
    for (GroupState g : groups) {
      out.add(g.status());
    }
    return out;
  }

  /** {@code /api/v1/rules} and {@code /api/v1/alerts} over this manager, for {@code PrometheusApiHandler}. */
  public RulesEndpoint endpoint() {
    return new RulesJson(this);
  }

  /** Every pending and firing alert. */
  public List<Alert> alerts() {
    List<Alert> out = new ArrayList<>();
    for (GroupState g : groups) {
      for (RuleState r : g.rules) {
        if (r instanceof AlertingRuleState a) {
          for (Alert alert : a.alerts()) {
            if (alert.state() != AlertState.INACTIVE) {
              out.add(alert);
            }
          }
        }
      }
    }
    return out;
  }

  /** Stops the schedule; evaluations in progress finish. */
  @Override
  public synchronized void close() {
    for (ScheduledFuture<?> f : schedules) {
      f.cancel(false);
    }
    schedules.clear();
  }

  /**
   * A group as the API shows it.
   *
   * @param group the group
   * @param lastEvaluation when it was last evaluated, {@code null} before
   * @param evaluationTime how long that took
   * @param rules its rules
   */
  public record GroupStatus(RuleGroup group, @Nullable Instant lastEvaluation, Duration evaluationTime,
      List<RuleStatus> rules) {}

  /**
   * A rule as the API shows it.
   *
   * @param rule the rule
   * @param health whether its last evaluation worked
   * @param lastError why it failed, empty if it did not
   * @param lastEvaluation when it was last evaluated, {@code null} before
   * @param evaluationTime how long that took
   * @param state for an alerting rule its most advanced alert's state; {@code null} for a recording rule
   * @param alerts an alerting rule's alerts (pending, firing, recently resolved); empty for a recording rule
   */
  public record RuleStatus(Rule rule, RuleHealth health, String lastError, @Nullable Instant lastEvaluation,
      Duration evaluationTime, @Nullable AlertState state, List<Alert> alerts) {}

  /** One group: its rules' states and its schedule. */
  private final class GroupState {
    final RuleGroup group;
    final List<RuleState> rules = new ArrayList<>();
    private final long offsetMillis;
    private volatile long lastEvaluation;
    private volatile long evaluationNanos;

    GroupState(RuleGroup group) {
      this.group = group;
      for (Rule r : group.rules()) {
        rules.add(switch (r) {
          case RecordingRule rec -> new RecordingRuleState(rec);
          case AlertingRule alert -> new AlertingRuleState(alert);
        });
      }
      // Prometheus spreads groups over their interval by a hash of the group's identity.
      this.offsetMillis = Math.floorMod((group.file() + ";" + group.name()).hashCode(), group.interval().toMillis());
    }

    /** The evaluation time on this group's grid at or before {@code now}. */
    long evaluationTime(long now) {
      long interval = group.interval().toMillis();
      return now - Math.floorMod(now - offsetMillis, interval);
    }

    long nextEvaluation(long now) {
      return evaluationTime(now) + group.interval().toMillis();
    }

    void evaluate(long ts) {
      long start = System.nanoTime();
      for (RuleState state : rules) {
        long ruleStart = System.nanoTime();
        String error = "";
        try {
          evaluateRule(state, ts);
        } catch (QueryException | RuleEvaluationException | OrreryException e) {
          error = String.valueOf(e.getMessage());
          LOG.warn("rule {} of group {} failed: {}", state.rule().name(), group.name(), error);
        }
        state.evaluated(ts, System.nanoTime() - ruleStart, error);
      }
      lastEvaluation = ts;
      evaluationNanos = System.nanoTime() - start;
      for (RuleState state : rules) {
        if (state instanceof AlertingRuleState alert && !alert.restored()) {
          restoreForState(alert, ts);
        }
      }
    }

    /** After the first evaluation: how long alerts had pended before a restart, from ALERTS_FOR_STATE. */
    private void restoreForState(AlertingRuleState alert, long ts) {
      try (Querier q = queryable.querier(ts - outageTolerance.toMillis(), ts)) {
        alert.restore(ts, forGracePeriod, labels -> lastSample(q, labels));
      } catch (IOException | RuntimeException e) {
        LOG.warn("restoring the for state of alert {} failed; its alerts pend afresh: {}", alert.rule().name(),
            e.toString());
        alert.restore(ts, forGracePeriod, labels -> null);
      }
    }

    private void evaluateRule(RuleState state, long ts) {
      List<Sample> result = query(state.rule().expr(), ts);
      List<Sample> toStore = switch (state) {
        case RecordingRuleState rec -> rec.apply(result, ts, group.limit());
        case AlertingRuleState alert -> alert.update(result, ts, externalLabels, group.limit());
      };
      Set<Labels> stored = new HashSet<>(toStore.size() * 2);
      RuleStorage.Appender appender = storage.appender();
      for (Sample s : toStore) {
        appender.add(s.labels(), ts, s.value());
        stored.add(s.labels());
      }
      for (Labels gone : state.lastSeries) {
        if (!stored.contains(gone)) {
          appender.add(gone, ts, Double.longBitsToDouble(StaleNaN.BITS));
        }
      }
      try {
        appender.commit();
      } catch (IOException e) {
        throw new RuleEvaluationException("storing the results failed: " + e.getMessage());
      }
      state.lastSeries = stored;
      if (state instanceof AlertingRuleState alert && notifier != null) {
        List<AlertmanagerNotifier.Alert> send = alert.alertsToSend(ts, resendDelay, group.interval(),
            generatorUrl(state.rule().exprText()));
        if (!send.isEmpty()) {
          notifier.send(send);
        }
      }
    }

    private List<Sample> query(Expr expr, long ts) {
      try (Query q = engine.instantQuery(queryable, expr, ts)) {
        return switch (q.execute()) {
          case QueryResult.Vector v -> v.samples();
          case QueryResult.Scalar s -> List.of(new Sample(Labels.empty(), ts, s.value(), null));
          case QueryResult.Matrix m -> throw new RuleEvaluationException("rule result is a range vector");
          case QueryResult.StringResult s -> throw new RuleEvaluationException("rule result is a string");
        };
      }
    }

    private String generatorUrl(String expr) {
      return externalUrl + "/graph?g0.expr=" + URLEncoder.encode(expr, StandardCharsets.UTF_8) + "&g0.tab=1";
    }

    GroupStatus status() {
      List<RuleStatus> out = new ArrayList<>(rules.size());
      for (RuleState r : rules) {
        AlertState state = null;
        List<Alert> alerts = List.of();
        if (r instanceof AlertingRuleState a) {
          state = a.state();
          alerts = a.alerts();
        }
        out.add(new RuleStatus(r.rule(), r.health(), r.lastError(), instant(r.lastEvaluationMillis()),
            Duration.ofNanos(r.evaluationNanos()), state, alerts));
      }
      return new GroupStatus(group, instant(lastEvaluation), Duration.ofNanos(evaluationNanos), out);
    }
  }

  /** The time and value (as a whole number) of the last sample of the series with exactly {@code labels}. */
  private static long @Nullable [] lastSample(Querier q, Labels labels) {
    Matcher[] matchers = new Matcher[labels.size()];
    for (int i = 0; i < labels.size(); i++) {
      matchers[i] = Matcher.equal(labels.name(i), labels.value(i));
    }
    SeriesSet set = q.select(false, null, matchers);
    long[] last = null;
    while (set.next()) {
      if (!set.at().labels().equals(labels)) {
        continue;
      }
      SampleIterator it = set.at().iterator(null);
      while (it.next() == ValueType.FLOAT) {
        if (!StaleNaN.is(it.atV())) {
          last = new long[] {it.atT(), (long) it.atV()};
        }
      }
    }
    return last;
  }

  private static @Nullable Instant instant(long millis) {
    return millis == 0 ? null : Instant.ofEpochMilli(millis);
  }

  /** Options of a {@link RuleManager}. */
  public static final class Builder {
    private final Engine engine;
    private final Queryable queryable;
    private RuleStorage storage = new RuleStorage();
    private Map<String, String> externalLabels = Map.of();
    private @Nullable AlertmanagerNotifier notifier;
    private Duration resendDelay = Duration.ofMinutes(1);
    private String externalUrl = "";
    private Clock clock = Clock.systemUTC();
    private Duration outageTolerance = Duration.ofHours(1);
    private Duration forGracePeriod = Duration.ofMinutes(10);

    private Builder(Engine engine, Queryable queryable) {
      this.engine = requireNonNull(engine, "engine is null");
      this.queryable = requireNonNull(queryable, "queryable is null");
    }

    /** Where results go (default: a new {@link RuleStorage}). */
    public Builder storage(RuleStorage storage) {
      this.storage = requireNonNull(storage, "storage is null");
      return this;
    }

    /** The ruler's external labels, which alert templates see as {@code $externalLabels}. */
    public Builder externalLabels(Map<String, String> labels) {
      this.externalLabels = new TreeMap<>(requireNonNull(labels, "labels is null"));
      return this;
    }

    /** Where alerts go (default: nowhere). Not closed by the manager. */
    public Builder notifier(AlertmanagerNotifier notifier) {
      this.notifier = requireNonNull(notifier, "notifier is null");
      return this;
    }

    /** How often a firing alert is sent again (default 1m, Prometheus' {@code --rules.alert.resend-delay}). */
    public Builder resendDelay(Duration delay) {
      if (delay.isNegative()) {
        throw new IllegalArgumentException("resend delay is negative: " + delay);
      }
      this.resendDelay = delay;
      return this;
    }

    /** The URL alerts link back to ({@code generatorURL}), e.g. the querier's UI (default none). */
    public Builder externalUrl(String url) {
      String u = requireNonNull(url, "url is null");
      this.externalUrl = u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
      return this;
    }

    /**
     * How pending alerts are restored after a restart (Prometheus' {@code --rules.alert.for-outage-tolerance}, default
     * 1h, and {@code --rules.alert.for-grace-period}, default 10m): {@code ALERTS_FOR_STATE} samples up to {@code
     * outageTolerance} old are read, and an alert gets at least {@code gracePeriod} before it fires.
     */
    public Builder forState(Duration outageTolerance, Duration gracePeriod) {
      if (outageTolerance.isNegative() || gracePeriod.isNegative()) {
        throw new IllegalArgumentException("negative for-state durations: " + outageTolerance + ", " + gracePeriod);
      }
      this.outageTolerance = outageTolerance;
      this.forGracePeriod = gracePeriod;
      return this;
    }

    /** The clock for scheduled evaluations (default UTC system clock). */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock is null");
      return this;
    }

    /** The manager, without groups until {@link #load}. */
    public RuleManager build() {
      return new RuleManager(this);
    }
  }
}
