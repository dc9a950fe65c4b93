package dev.orrery.promql.rules;

import java.util.Locale;

/** Whether a rule's last evaluation worked: {@code unknown} before the first, then {@code ok} or {@code err}. */
public enum RuleHealth {
  /** Not evaluated yet. */
  UNKNOWN,
  /** The last evaluation worked. */
  OK,
  /** The last evaluation failed; the rule's last error says why. */
  ERR;

  /** The name Prometheus' API uses. */
  public String apiName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
