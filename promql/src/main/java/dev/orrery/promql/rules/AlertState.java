package dev.orrery.promql.rules;

import java.util.Locale;

/** Where an alert is in its life: pending until its rule's {@code for:} has passed, then firing, then inactive. */
public enum AlertState {
  /** Resolved: its series is gone (kept for a while so that Alertmanager hears of the resolution). */
  INACTIVE,
  /** Its series is present, for less than the rule's {@code for:}. */
  PENDING,
  /** Its series has been present for at least the rule's {@code for:}. */
  FIRING;

  /** The name Prometheus' API and the {@code alertstate} label use: {@code inactive}, {@code pending}, {@code firing}. */
  public String apiName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
