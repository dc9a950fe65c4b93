package dev.orrery.promql.ast;

/** The preprocessor forms of the {@code @} modifier: {@code @ start()} and {@code @ end()}. */
public enum StartOrEnd {
  /** {@code @ start()}: the start of the query range. */
  START("start()"),
  /** {@code @ end()}: the end of the query range. */
  END("end()");

  private final String text;

  StartOrEnd(String text) {
    this.text = text;
  }

  /** The PromQL text after {@code @}. */
  public String text() {
    return text;
  }
}
