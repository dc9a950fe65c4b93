package dev.orrery.promql.http;

import java.util.Objects;

/**
 * What {@code /api/v1/status/buildinfo} reports, with Prometheus' field names. Immutable.
 *
 * @param version e.g. {@code 0.1.0}
 * @param revision source revision, may be empty
 * @param branch source branch, may be empty
 * @param buildUser who built it, may be empty
 * @param buildDate when it was built, may be empty
 * @param goVersion Prometheus reports its Go version here; Orrery reports the Java runtime version
 */
public record BuildInfo(
    String version, String revision, String branch, String buildUser, String buildDate, String goVersion) {
  /** Checks that no field is null. */
  public BuildInfo {
    Objects.requireNonNull(version, "version is null");
    Objects.requireNonNull(revision, "revision is null");
    Objects.requireNonNull(branch, "branch is null");
    Objects.requireNonNull(buildUser, "buildUser is null");
    Objects.requireNonNull(buildDate, "buildDate is null");
    Objects.requireNonNull(goVersion, "goVersion is null");
  }

  /** Build information from this jar's manifest (version "development" when run from classes) and the JVM. */
  public static BuildInfo fromManifest() {
    String v = BuildInfo.class.getPackage().getImplementationVersion();
    return new BuildInfo(v == null ? "development" : v, "", "", "", "", "java" + Runtime.version());
  }
}
