package dev.orrery.core.labels;

import java.util.Objects;

/** One label: a name and a value. Immutable. */
public record Label(String name, String value) {
  /** Checks that neither part is null. */
  public Label {
    Objects.requireNonNull(name, "name is null");
    Objects.requireNonNull(value, "value is null");
  }
}
