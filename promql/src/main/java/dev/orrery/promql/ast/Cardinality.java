package dev.orrery.promql.ast;

/** How the series of two vectors in a binary operation relate, as Prometheus' {@code VectorMatchCardinality}. */
public enum Cardinality {
  /** Each series on either side matches at most one on the other side. */
  ONE_TO_ONE("one-to-one"),
  /** {@code group_left}: many series on the left match one on the right. */
  MANY_TO_ONE("many-to-one"),
  /** {@code group_right}: one series on the left matches many on the right. */
  ONE_TO_MANY("one-to-many"),
  /** The set operators {@code and}, {@code or}, {@code unless}. */
  MANY_TO_MANY("many-to-many");

  private final String text;

  Cardinality(String text) {
    this.text = text;
  }

  /** Prometheus' name for it, used in error messages ({@code many-to-one}). */
  public String text() {
    return text;
  }
}
