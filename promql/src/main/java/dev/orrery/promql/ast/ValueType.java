package dev.orrery.promql.ast;

/** The type a PromQL expression evaluates to. */
public enum ValueType {
  /** A single number per step. */
  SCALAR("scalar", "scalar"),
  /** One sample per series per step. */
  VECTOR("vector", "instant vector"),
  /** A window of samples per series per step. */
  MATRIX("matrix", "range vector"),
  /** A string (only as a top-level result or a function argument). */
  STRING("string", "string");

  private final String apiName;
  private final String documentedName;

  ValueType(String apiName, String documentedName) {
    this.apiName = apiName;
    this.documentedName = documentedName;
  }

  /** The name in the HTTP API's {@code resultType} ({@code scalar}, {@code vector}, {@code matrix}, {@code string}). */
  public String apiName() {
    return apiName;
  }

  /**
   * The name Prometheus' documentation and parse errors use ({@code scalar}, {@code instant vector}, {@code range
   * vector}, {@code string}).
   */
  public String documentedName() {
    return documentedName;
  }
}
