package dev.orrery.promql.rules;

import static java.util.Objects.requireNonNull;

import dev.orrery.core.OrreryException;
import dev.orrery.core.chunk.SampleIterator;
import dev.orrery.core.chunk.StaleNaN;
import dev.orrery.core.chunk.ValueType;
import dev.orrery.core.labels.Labels;
import dev.orrery.core.labels.Matcher;
import dev.orrery.core.rules.RuleGroupStatus;
import dev.orrery.core.rules.RuleGroups;
import dev.orrery.core.rules.RuleGroupsSource;
import dev.orrery.core.rules.RulesFilter;
import dev.orrery.core.storage.Querier;
import dev.orrery.core.storage.Queryable;
import dev.orrery.core.storage.SeriesSet;
import dev.orrery.core.storage.StoreOptions;
import dev.orrery.promql.engine.Engine;
import dev.orrery.promql.engine.QueryException;
import dev.orrery.promql.engine.Sample;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ruler: evaluates rule groups with the PromQL engine over a {@link Queryable} (typically the querier's fan-out
 * over every store) or through another {@link RuleQuery} (a querier's HTTP API), stores what recording rules produce and the alerts' {@code ALERTS} series in a {@link
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
 *   <li>{@link #load} can be called again at any time to reload the rules: rules that stay keep their alerts and
 *       state, as in Prometheus.
 * </ul>
 *
 * <p>{@link #start} runs the groups on a scheduler; {@link #evaluate} runs every group once at a given time (for
 * tests and one-shot runs). Thread-safe. {@link #close()} stops the schedule.
 */
public final class RuleManager implements RuleGroupsSource, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RuleManager.class);
  private static final double STALE = Double.longBitsToDouble(StaleNaN.BITS);

  private final RuleQuery ruleQuery;
  /** What the for-state restore reads ALERTS_FOR_STATE from: the storage, and the source when the engine runs here. */
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
  private final RuleMetrics metrics;
  /** Where the groups run once {@link #start}ed, {@code null} before and after {@link #close()}. Guarded by this. */
  private @Nullable ScheduledExecutorService scheduler;

  private RuleManager(Builder b) {
    // The engine reads the source and what was recorded; a remote query sees the records through its own stores.
    this.storage = b.storage;
    this.queryable = b.queryable == null ? b.storage : Queryable.merge(List.of(b.queryable, b.storage));
    this.ruleQuery = b.ruleQuery != null ? b.ruleQuery : RuleQuery.local(b.engine, queryable);
    this.externalLabels = Map.copyOf(b.externalLabels);
    this.notifier = b.notifier;
    this.resendDelay = b.resendDelay;
    this.externalUrl = b.externalUrl;
    this.clock = b.clock;
    this.outageTolerance = b.outageTolerance;
    this.forGracePeriod = b.forGracePeriod;
    this.metrics = new RuleMetrics(b.metricsRegistry);
  }

  /**
   * A builder evaluating with {@code engine} over {@code queryable} and what the rules recorded (so a rule sees the
   * results of the rules before it).
   */
  public static Builder builder(Engine engine, Queryable queryable) {
    requireNonNull(queryable, "queryable is null");
    return new Builder(null, requireNonNull(engine, "engine is null"), queryable);
  }

  /**
   * A builder evaluating through {@code query}, for example {@link PrometheusApiRuleQuery} against a querier that
   * also serves what this ruler recorded (its StoreAPI); pending alerts are restored from the storage.
   */
  public static Builder builder(RuleQuery query) {
    return new Builder(requireNonNull(query, "query is null"), null, null);
  }

  /**
   * Sets the rule groups: the first ones, or new ones on a reload, which keeps what it can as Prometheus' rule manager
   * does. A group is identified by its file and name.
   *
   * <ul>
   *   <li>A group whose definition is unchanged ({@link RuleGroup#equals}) goes on as if nothing happened: same state,
   *       same schedule.
   *   <li>A changed group takes over the state of the group it replaces: its last evaluation, and for each rule that
   *       of the old rule with the same name and labels (several rules with the same name and labels are matched in
   *       order): health, last error, the series it stored last (so that those it no longer produces are marked
   *       stale), and for an alerting rule its alerts, so that a pending alert keeps counting its {@code for} and a
   *       firing one keeps firing and is not sent again before its resend delay. A rule whose expression changed thus
   *       keeps its state; a renamed or relabelled one starts afresh. The series stored last by the old rules that
   *       were not matched are marked stale at the group's next evaluation.
   *   <li>A removed group stops, and the series its rules stored last are marked stale at once, at the clock's time.
   *   <li>A new group, like a new rule of a changed group, starts afresh; its alerting rules restore their {@code for}
   *       state from {@code ALERTS_FOR_STATE} after their first evaluation, as at start-up.
   * </ul>
   *
   * <p>When the manager is {@link #start}ed, replaced and removed groups are unscheduled, their evaluation in progress
   * (if any) is waited for and then completes normally, and the new and changed groups are scheduled on their grid
   * (the same as before unless the interval changed), first at its next point. No group is evaluated twice at once.
   *
   * @throws IllegalArgumentException if two groups have the same file and name; nothing changes then
   */
  public synchronized void load(List<RuleGroup> ruleGroups) {
    Map<GroupKey, GroupState> previous = new HashMap<>();
    for (GroupState g : groups) {
      previous.put(GroupKey.of(g.group), g);
    }
    // Every new state is built before anything stops, so that a failure leaves the manager as it was.
    Set<GroupKey> seen = new HashSet<>();
    List<GroupState> next = new ArrayList<>(ruleGroups.size());
    List<GroupState> fresh = new ArrayList<>();
    for (RuleGroup g : ruleGroups) {
      GroupKey key = GroupKey.of(g);
      if (!seen.add(key)) {
        throw new IllegalArgumentException("rule group " + g.name() + " of " + g.file() + " is given twice");
      }
      GroupState old = previous.get(key);
      if (old != null && old.group.equals(g)) {
        next.add(old);
        previous.remove(key);
      } else {
        GroupState state = new GroupState(g);
        next.add(state);
        fresh.add(state);
      }
    }
    for (GroupState g : fresh) {
      metrics.loaded(g.group);
      GroupState old = previous.remove(GroupKey.of(g.group));
      if (old != null) {
        old.stop();
        g.continueFrom(old);
      }
    }
    for (GroupState removed : previous.values()) {
      metrics.removed(removed.group);
      removed.stop();
      removed.markEverythingStale(clock.millis());
    }
    groups = List.copyOf(next);
    if (scheduler != null) {
      for (GroupState g : fresh) {
        schedule(g, scheduler);
      }
    }
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
   * Schedules every group on {@code scheduler} at its interval, first at the next point of its grid; groups loaded
   * later are scheduled there too. A group whose evaluation runs past its interval evaluates late at the last point of
   * its grid and skips the points it missed.
   *
   * @throws IllegalStateException if already started and not {@link #close()}d since
   */
  public synchronized void start(ScheduledExecutorService scheduler) {
    if (this.scheduler != null) {
      throw new IllegalStateException("the rule manager is already started");
    }
    this.scheduler = requireNonNull(scheduler, "scheduler is null");
    for (GroupState g : groups) {
      schedule(g, scheduler);
    }
  }

  private void schedule(GroupState g, ScheduledExecutorService scheduler) {
    long now = clock.millis();
    g.schedule = scheduler.scheduleAtFixedRate(g::evaluateScheduled, g.nextEvaluation(now) - now,
        g.group.interval().toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The groups with their rules' health and alerts, for the API. */
  public List<GroupStatus> groups() {
    List<GroupStatus> out = new ArrayList<>();
    for (GroupState g : groups) {
      out.add(g.status());
    }
    return out;
  }

  /**
   * The groups that pass {@code filter}, as the rules API shows them (for {@code /api/v1/rules}, {@code
   * /api/v1/alerts} and Thanos' Rules API); nothing here can fail, so the options do not matter.
   */
  @Override
  public RuleGroups ruleGroups(RulesFilter filter, StoreOptions options) {
    List<RuleGroupStatus> out = new ArrayList<>();
    for (GroupState g : groups) {
      out.add(RuleGroupStatuses.of(g.status()));
    }
    return new RuleGroups(filter.apply(out), List.of());
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

  /** Stops the schedule; evaluations in progress finish. The manager can be {@link #start}ed again. */
  @Override
  public synchronized void close() {
    for (GroupState g : groups) {
      g.unschedule();
    }
    scheduler = null;
  }

  /**
   * Writes staleness markers: the series ended at {@code ts}. A failure is logged only: the series then end as
   * unmarked series do, after the lookback delta.
   */
  private void appendStale(Collection<Labels> series, long ts) {
    RuleStorage.Appender appender = storage.appender();
    series.forEach(s -> appender.add(s, ts, STALE));
    try {
      appender.commit();
    } catch (IOException e) {
      LOG.warn("writing {} staleness markers failed: {}", series.size(), e.toString());
    }
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

  /** A group's identity across reloads. */
  private record GroupKey(String file, String name) {
    static GroupKey of(RuleGroup g) {
      return new GroupKey(g.file(), g.name());
    }
  }

  /** What matches a rule to its predecessor on a reload (Prometheus' {@code nameAndLabels}). */
  private record RuleKey(String name, Map<String, String> labels) {
    static RuleKey of(Rule r) {
      return new RuleKey(r.name(), r.labels());
    }
  }

  /**
   * One group: its rules' states and its schedule. Evaluations hold {@link #evaluation}, so they never overlap, and a
   * reload that stops the group waits for the one in progress.
   */
  private final class GroupState {
    final RuleGroup group;
    final List<RuleState> rules = new ArrayList<>();
    /** Prometheus' identity of the group, {@code <file>;<name>}: its schedule offset and its metrics label. */
    private final String key;
    private final long offsetMillis;
    private final ReentrantLock evaluation = new ReentrantLock();
    private volatile long lastEvaluation;
    private volatile long evaluationNanos;
    /** Series of rules a reload removed from this group, marked stale at its next evaluation. Under the lock. */
    private Set<Labels> staleSeries = Set.of();
    /** Set when a reload replaced or removed this group: it is not evaluated any more. Under the lock. */
    private boolean stopped;
    /** Its periodic evaluation while the manager is started. Guarded by the manager. */
    @Nullable ScheduledFuture<?> schedule;

    GroupState(RuleGroup group) {
      this.group = group;
      for (Rule r : group.rules()) {
        rules.add(switch (r) {
          case RecordingRule rec -> new RecordingRuleState(rec);
          case AlertingRule alert -> new AlertingRuleState(alert);
        });
      }
      // Prometheus spreads groups over their interval by a hash of the group's identity.
      this.key = RuleMetrics.groupKey(group);
      this.offsetMillis = Math.floorMod(key.hashCode(), group.interval().toMillis());
    }

    /** The evaluation time on this group's grid at or before {@code now}. */
    long evaluationTime(long now) {
      long interval = group.interval().toMillis();
      return now - Math.floorMod(now - offsetMillis, interval);
    }

    long nextEvaluation(long now) {
      return evaluationTime(now) + group.interval().toMillis();
    }

    /** Evaluates at {@code ts}, after the evaluation in progress if any; nothing once stopped by a reload. */
    void evaluate(long ts) {
      evaluation.lock();
      try {
        if (!stopped) {
          evaluateRules(ts);
        }
      } finally {
        evaluation.unlock();
      }
    }

    /** A scheduled run: evaluates at the grid point now, unless it was evaluated already. */
    void evaluateScheduled() {
      evaluation.lock();
      try {
        if (stopped) {
          return;
        }
        long ts = evaluationTime(clock.millis());
        // A run that started late after a long evaluation (the executor catches up at once) would repeat its point.
        if (ts <= lastEvaluation) {
          metrics.iterationsScheduled.labelValues(key).inc();
          metrics.iterationsMissed.labelValues(key).inc();
          LOG.warn("rule group {} skipped an evaluation: the previous one ran past its interval", group.name());
          return;
        }
        // Grid points passed over since the last evaluation were missed.
        long missed = lastEvaluation == 0 ? 0 : Math.max(0, (ts - lastEvaluation) / group.interval().toMillis() - 1);
        metrics.iterationsScheduled.labelValues(key).inc(1 + missed);
        if (missed > 0) {
          metrics.iterationsMissed.labelValues(key).inc(missed);
        }
        evaluateRules(ts);
      } catch (RuntimeException e) {
        LOG.error("rule group {} failed", group.name(), e);
      } finally {
        evaluation.unlock();
      }
    }

    private void evaluateRules(long ts) {
      long start = System.nanoTime();
      // With a query offset the rules query, store and alert as of that much earlier (Prometheus' query_offset).
      long at = ts - group.queryOffset().toMillis();
      long samples = 0;
      for (RuleState state : rules) {
        long ruleStart = System.nanoTime();
        String error = "";
        metrics.evaluations.labelValues(key).inc();
        try {
          samples += evaluateRule(state, at);
        } catch (QueryException | RuleEvaluationException | OrreryException e) {
          error = String.valueOf(e.getMessage());
          metrics.evaluationFailures.labelValues(key).inc();
          LOG.warn("rule {} of group {} failed: {}", state.rule().name(), group.name(), error);
        }
        long ruleNanos = System.nanoTime() - ruleStart;
        metrics.evaluationDuration.observe(ruleNanos / 1e9);
        state.evaluated(ts, ruleNanos, error);
      }
      markRemovedRulesStale(at);
      lastEvaluation = ts;
      evaluationNanos = System.nanoTime() - start;
      metrics.groupDuration.observe(evaluationNanos / 1e9);
      metrics.groupLastDuration.labelValues(key).set(evaluationNanos / 1e9);
      metrics.groupLastEvaluation.labelValues(key).set(ts / 1000.0);
      metrics.groupLastSamples.labelValues(key).set(samples);
      for (RuleState state : rules) {
        if (state instanceof AlertingRuleState alert && !alert.restored()) {
          restoreForState(alert, at);
        }
      }
    }

    /**
     * Takes over the state of {@code previous}, the group of the same identity before a reload, which no longer runs
     * (see {@link RuleManager#load}). Called before this group is published or scheduled.
     */
    void continueFrom(GroupState previous) {
      lastEvaluation = previous.lastEvaluation;
      evaluationNanos = previous.evaluationNanos;
      Map<RuleKey, Deque<RuleState>> unmatched = new HashMap<>();
      for (RuleState r : previous.rules) {
        unmatched.computeIfAbsent(RuleKey.of(r.rule()), k -> new ArrayDeque<>()).add(r);
      }
      for (RuleState r : rules) {
        Deque<RuleState> same = unmatched.get(RuleKey.of(r.rule()));
        RuleState old = same == null ? null : same.poll();
        if (old != null) {
          r.continueFrom(old);
        }
      }
      Set<Labels> stale = new HashSet<>(previous.staleSeries);
      unmatched.values().forEach(left -> left.forEach(r -> stale.addAll(r.lastSeries)));
      staleSeries = stale;
    }

    /** Unschedules the group for good and waits for its evaluation in progress. */
    void stop() {
      unschedule();
      evaluation.lock();
      try {
        stopped = true;
      } finally {
        evaluation.unlock();
      }
    }

    void unschedule() {
      if (schedule != null) {
        schedule.cancel(false);
        schedule = null;
      }
    }

    /**
     * Marks stale the series of the rules a reload removed from this group, except those a rule of the group stores
     * now (it marks them stale itself when it stops producing them).
     */
    private void markRemovedRulesStale(long ts) {
      if (staleSeries.isEmpty()) {
        return;
      }
      Set<Labels> owned = new HashSet<>();
      for (RuleState r : rules) {
        owned.addAll(r.lastSeries);
      }
      List<Labels> stale = new ArrayList<>();
      for (Labels series : staleSeries) {
        if (!owned.contains(series)) {
          stale.add(series);
        }
      }
      appendStale(stale, ts);
      staleSeries = Set.of();
    }

    /** For a group a reload removed, once stopped: every series it stored last ends at {@code ts}. */
    void markEverythingStale(long ts) {
      Set<Labels> all = new HashSet<>(staleSeries);
      for (RuleState r : rules) {
        all.addAll(r.lastSeries);
      }
      appendStale(all, ts);
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

    /** Evaluates one rule, stores its results and sends its alerts; returns how many samples the query gave. */
    private int evaluateRule(RuleState state, long ts) {
      List<Sample> result = ruleQuery.evaluate(group, state.rule(), ts);
      List<Sample> toStore = switch (state) {
        case RecordingRuleState rec -> rec.apply(result, ts, group.limit());
        case AlertingRuleState alert -> alert.update(result, ts, externalLabels, group.limit());
      };
      Set<Labels> stored = new HashSet<>(toStore.size() * 2);
      RuleStorage.Appender appender = storage.appender();
      for (Sample s : toStore) {
        if (s.isHistogram()) {
          appender.add(s.labels(), ts, s.histogram());
        } else {
          appender.add(s.labels(), ts, s.value());
        }
        stored.add(s.labels());
      }
      for (Labels gone : state.lastSeries) {
        if (!stored.contains(gone)) {
          appender.add(gone, ts, STALE);
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
      return result.size();
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
    private final @Nullable RuleQuery ruleQuery;
    private final @Nullable Engine engine;
    private final @Nullable Queryable queryable;
    private RuleStorage storage = new RuleStorage();
    private Map<String, String> externalLabels = Map.of();
    private @Nullable AlertmanagerNotifier notifier;
    private Duration resendDelay = Duration.ofMinutes(1);
    private String externalUrl = "";
    private Clock clock = Clock.systemUTC();
    private Duration outageTolerance = Duration.ofHours(1);
    private Duration forGracePeriod = Duration.ofMinutes(10);
    private @Nullable PrometheusRegistry metricsRegistry;

    private Builder(@Nullable RuleQuery query, @Nullable Engine engine, @Nullable Queryable queryable) {
      this.ruleQuery = query;
      this.engine = engine;
      this.queryable = queryable;
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

    /**
     * Registers the manager's metrics with {@code registry}: Prometheus' {@code prometheus_rule_*} families
     * (evaluations and failures, missed iterations, durations, last evaluation time and samples per group); default none.
     */
    public Builder metrics(PrometheusRegistry registry) {
      this.metricsRegistry = requireNonNull(registry, "registry is null");
      return this;
    }

    /** The manager, without groups until {@link #load}. */
    public RuleManager build() {
      return new RuleManager(this);
    }
  }
}
