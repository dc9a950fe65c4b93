package dev.orrery.promql.rules;

import dev.orrery.core.labels.Labels;
import dev.orrery.core.labels.LabelsBuilder;
import dev.orrery.promql.engine.Sample;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The alerts of one {@link AlertingRule} across evaluations, following Prometheus' {@code AlertingRule.Eval}: each
 * result series is an alert, pending at first, firing once present for the rule's {@code for:}; a firing alert whose
 * series is gone keeps firing for {@code keep_firing_for:}, then is resolved, and is kept {@value
 * #RESOLVED_RETENTION_MINUTES} minutes so Alertmanager hears of it; a pending one is dropped at once. Each evaluation
 * also yields the {@code ALERTS} and {@code ALERTS_FOR_STATE} samples of the pending and firing alerts.
 *
 * <p>Updated by its group's thread; the API reads snapshots, under the same lock.
 */
final class AlertingRuleState extends RuleState {
  static final String ALERTS = "ALERTS";
  static final String ALERTS_FOR_STATE = "ALERTS_FOR_STATE";
  static final String ALERT_NAME = "alertname";
  static final String ALERT_STATE = "alertstate";
  static final long RESOLVED_RETENTION_MINUTES = 15;
  private static final long RESOLVED_RETENTION_MILLIS = Duration.ofMinutes(RESOLVED_RETENTION_MINUTES).toMillis();

  private final AlertingRule rule;
  private final Map<String, AlertTemplate> labelTemplates = new LinkedHashMap<>();
  private final Map<String, AlertTemplate> annotationTemplates = new LinkedHashMap<>();
  private final Map<Labels, ActiveAlert> active = new LinkedHashMap<>();
  /** Whether the alerts' {@code for} state was restored; until then no ALERTS samples are written, as in Prometheus. */
  private boolean restored;

  AlertingRuleState(AlertingRule rule) {
    this.rule = rule;
    rule.labels().forEach((k, v) -> labelTemplates.put(k, AlertTemplate.parse("__alert_" + rule.name(), v)));
    rule.annotations().forEach((k, v) -> annotationTemplates.put(k, AlertTemplate.parse("__alert_" + rule.name(), v)));
  }

  @Override
  AlertingRule rule() {
    return rule;
  }

  /**
   * Updates the alerts from the query result at {@code ts}; returns the {@code ALERTS} and {@code ALERTS_FOR_STATE}
   * samples to store.
   *
   * @throws RuleEvaluationException if two series give the same alert labels, or the alerts exceed {@code limit}
   */
  synchronized List<Sample> update(List<Sample> result, long ts, Map<String, String> externalLabels, int limit) {
    Map<Labels, ActiveAlert> current = new HashMap<>();
    for (Sample s : result) {
      Map<String, String> seriesLabels = s.labels().toMap();
      LabelsBuilder b = s.labels().toBuilder().delete(Labels.METRIC_NAME);
      labelTemplates.forEach((name, t) -> b.set(name, t.expand(seriesLabels, externalLabels, s.value())));
      b.set(ALERT_NAME, rule.name());
      Labels labels = b.build();
      Map<String, String> annotations = new LinkedHashMap<>();
      annotationTemplates.forEach((name, t) -> annotations.put(name, t.expand(seriesLabels, externalLabels,
          s.value())));
      if (current.put(labels, new ActiveAlert(labels, annotations, ts, s.value())) != null) {
        throw new RuleEvaluationException("vector contains metrics with the same labelset after applying alert labels");
      }
    }
    for (ActiveAlert a : current.values()) {
      ActiveAlert existing = active.get(a.labels);
      if (existing != null && existing.state != AlertState.INACTIVE) {
        existing.value = a.value;
        existing.annotations = a.annotations;
      } else {
        active.put(a.labels, a);
      }
    }
    List<Sample> out = new ArrayList<>();
    int activeCount = 0;
    for (var it = active.values().iterator(); it.hasNext(); ) {
      ActiveAlert a = it.next();
      if (!current.containsKey(a.labels)) {
        boolean keepFiring = false;
        if (a.state == AlertState.FIRING && !rule.keepFiringFor().isZero()) {
          if (a.keepFiringSince == 0) {
            a.keepFiringSince = ts;
          }
          keepFiring = ts - a.keepFiringSince < rule.keepFiringFor().toMillis();
        }
        if (a.state == AlertState.PENDING || (a.resolvedAt != 0 && ts - a.resolvedAt > RESOLVED_RETENTION_MILLIS)) {
          it.remove();
        }
        if (a.state != AlertState.INACTIVE && !keepFiring) {
          a.state = AlertState.INACTIVE;
          a.resolvedAt = ts;
        }
        if (!keepFiring) {
          continue;
        }
      } else {
        a.keepFiringSince = 0;
      }
      activeCount++;
      if (a.state == AlertState.PENDING && ts - a.activeAt >= rule.holdDuration().toMillis()) {
        a.state = AlertState.FIRING;
        a.firedAt = ts;
      }
      if (restored) {
        out.add(new Sample(a.labels.toBuilder().set(Labels.METRIC_NAME, ALERTS).set(ALERT_STATE, a.state.apiName())
            .build(), ts, 1, null));
        out.add(new Sample(a.labels.toBuilder().set(Labels.METRIC_NAME, ALERTS_FOR_STATE).build(), ts,
            a.activeAt / 1000, null));
      }
    }
    if (limit > 0 && activeCount > limit) {
      active.clear();
      throw new RuleEvaluationException("exceeded limit of " + limit + " with " + activeCount + " alerts");
    }
    return out;
  }

  /**
   * The alerts to send at {@code ts} (Prometheus' {@code sendAlerts}): firing ones not sent for {@code resendDelay},
   * and ones resolved since they were last sent. Each is valid until four resend periods from now, so that two missed
   * evaluations or sends do not resolve it in Alertmanager.
   */
  synchronized List<AlertmanagerNotifier.Alert> alertsToSend(long ts, Duration resendDelay, Duration interval,
      String generatorUrl) {
    long delta = Math.max(resendDelay.toMillis(), interval.toMillis());
    List<AlertmanagerNotifier.Alert> out = new ArrayList<>();
    for (ActiveAlert a : active.values()) {
      if (a.state == AlertState.PENDING) {
        continue;
      }
      boolean resolvedSinceSent = a.resolvedAt != 0 && a.resolvedAt > a.lastSentAt;
      if (!resolvedSinceSent && a.lastSentAt != 0 && a.lastSentAt + resendDelay.toMillis() >= ts) {
        continue;
      }
      a.lastSentAt = ts;
      long endsAt = a.resolvedAt != 0 ? a.resolvedAt : ts + 4 * delta;
      out.add(new AlertmanagerNotifier.Alert(a.labels.toMap(), a.annotations, Instant.ofEpochMilli(a.firedAt),
          Instant.ofEpochMilli(endsAt), generatorUrl));
    }
    return out;
  }

  /**
   * Restores how long the current alerts have been pending from the {@code ALERTS_FOR_STATE} series a ruler wrote
   * before it stopped (Prometheus' {@code RestoreForState}): {@code lastWrite} gives, for an alert's labels, the time
   * and value ({@code activeAt} in Unix seconds) of that series' last sample within the outage tolerance, or
   * {@code null}. An alert that had pended for its whole {@code for} fires again at its next evaluation; one with less
   * than {@code gracePeriod} left gets the grace period; others continue where they stopped, shifted by the downtime.
   * Rules whose {@code for} is shorter than the grace period are not restored. Marks the rule restored either way.
   */
  synchronized void restore(long ts, Duration gracePeriod, Function<Labels, long[]> lastWrite) {
    long hold = rule.holdDuration().toMillis();
    if (hold >= gracePeriod.toMillis()) {
      for (ActiveAlert a : active.values()) {
        long[] last = lastWrite.apply(a.labels.toBuilder().set(Labels.METRIC_NAME, ALERTS_FOR_STATE).build());
        if (last == null || a.state != AlertState.PENDING) {
          continue;
        }
        long downAt = last[0] / 1000 * 1000;
        long restoredActiveAt = last[1] * 1000;
        long remaining = hold - (downAt - restoredActiveAt);
        if (remaining <= 0) {
          a.activeAt = restoredActiveAt;
        } else if (remaining < gracePeriod.toMillis()) {
          a.activeAt = ts + gracePeriod.toMillis() - hold;
        } else {
          a.activeAt = restoredActiveAt + (ts - downAt);
        }
      }
    }
    restored = true;
  }

  boolean restored() {
    return restored;
  }

  /**
   * Also takes over the alerts of {@code previous} when it is an alerting rule too, with their state and times (a
   * pending alert keeps counting its {@code for}, a firing one keeps firing and its last send), and whether their
   * {@code for} state was restored, as Prometheus' {@code Group.CopyState}. The alerts are copied, as an API reader
   * may still hold the previous state.
   */
  @Override
  void continueFrom(RuleState previous) {
    super.continueFrom(previous);
    if (!(previous instanceof AlertingRuleState p)) {
      return;
    }
    List<ActiveAlert> alerts = new ArrayList<>();
    boolean wasRestored;
    synchronized (p) {
      p.active.values().forEach(a -> alerts.add(a.copy()));
      wasRestored = p.restored;
    }
    synchronized (this) {
      alerts.forEach(a -> active.put(a.labels, a));
      restored = wasRestored;
    }
  }

  /** The alerts now, pending, firing and recently resolved. */
  synchronized List<Alert> alerts() {
    List<Alert> out = new ArrayList<>(active.size());
    for (ActiveAlert a : active.values()) {
      out.add(new Alert(a.labels, a.annotations, a.state, Instant.ofEpochMilli(a.activeAt), instant(a.firedAt),
          instant(a.resolvedAt), instant(a.keepFiringSince), a.value));
    }
    return out;
  }

  /** The rule's state: firing if any alert fires, else pending if any is pending, else inactive. */
  synchronized AlertState state() {
    AlertState max = AlertState.INACTIVE;
    for (ActiveAlert a : active.values()) {
      if (a.state.ordinal() > max.ordinal()) {
        max = a.state;
      }
    }
    return max;
  }

  private static Instant instant(long millis) {
    return millis == 0 ? null : Instant.ofEpochMilli(millis);
  }

  /** One alert's mutable state; times in Unix milliseconds, 0 for unset. */
  private static final class ActiveAlert {
    final Labels labels;
    Map<String, String> annotations;
    AlertState state = AlertState.PENDING;
    long activeAt;
    long firedAt;
    long resolvedAt;
    long keepFiringSince;
    long lastSentAt;
    double value;

    ActiveAlert(Labels labels, Map<String, String> annotations, long activeAt, double value) {
      this.labels = labels;
      this.annotations = annotations;
      this.activeAt = activeAt;
      this.value = value;
    }

    ActiveAlert copy() {
      ActiveAlert c = new ActiveAlert(labels, annotations, activeAt, value);
      c.state = state;
      c.firedAt = firedAt;
      c.resolvedAt = resolvedAt;
      c.keepFiringSince = keepFiringSince;
      c.lastSentAt = lastSentAt;
      return c;
    }
  }
}
