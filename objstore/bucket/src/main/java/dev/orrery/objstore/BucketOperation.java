package dev.orrery.objstore;

/** The bucket operations, with the names Thanos gives them in metric labels ({@code operation="get_range"}). */
public enum BucketOperation {
  /** {@link Bucket#iterate}. */
  ITER("iter"),
  /** {@link Bucket#get}. */
  GET("get"),
  /** {@link Bucket#getRange}. */
  GET_RANGE("get_range"),
  /** {@link Bucket#exists}. */
  EXISTS("exists"),
  /** {@link Bucket#upload}, all forms. */
  UPLOAD("upload"),
  /** {@link Bucket#delete}. */
  DELETE("delete"),
  /** {@link Bucket#attributes}. */
  ATTRIBUTES("attributes");

  private final String thanosName;

  BucketOperation(String thanosName) {
    this.thanosName = thanosName;
  }

  /** Returns the name Thanos uses, for example {@code get_range}. */
  public String thanosName() {
    return thanosName;
  }
}
