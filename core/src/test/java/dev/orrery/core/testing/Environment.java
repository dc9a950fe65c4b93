package dev.orrery.core.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds what interop tests need outside the project: the {@code shared} folder (beside the project root, or
 * {@code $ORRERY_SHARED}) and Prometheus' {@code promtool} and {@code prometheus} binaries. Under {@code CI=true} a
 * missing piece fails the test with a clear message; elsewhere the test is skipped, saying why.
 */
public final class Environment {
  private Environment() {}

  /** True when running in CI, where nothing may be skipped. */
  public static boolean isCi() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  /** The project root (where the parent pom lives). */
  public static Path projectRoot() {
    String fromMaven = System.getenv("ORRERY_PROJECT_ROOT");
    if (fromMaven != null && !fromMaven.isEmpty()) {
      return Path.of(fromMaven).toAbsolutePath().normalize();
    }
    Path p = Path.of("").toAbsolutePath();
    while (p != null) {
      if (Files.exists(p.resolve("mvnw")) && Files.exists(p.resolve("core"))) {
        return p;
      }
      p = p.getParent();
    }
    return Path.of("").toAbsolutePath();
  }

  /** The shared folder with the harness, the PromQL test files and the specs. */
  public static Path sharedDir() {
    String env = System.getenv("ORRERY_SHARED");
    Path dir = env != null && !env.isEmpty() ? Path.of(env) : projectRoot().resolve("../shared").normalize();
    if (!Files.isDirectory(dir.resolve("harness"))) {
      missing("shared folder not found at " + dir + " (set ORRERY_SHARED or put it beside the project root)");
    }
    return dir;
  }

  /** Path of the {@code promtool} binary. */
  public static Path promtool() {
    return binary("promtool");
  }

  /** Path of the {@code prometheus} binary. */
  public static Path prometheus() {
    return binary("prometheus");
  }

  /** Path of {@code python3} (the harness generator needs it). */
  public static Path python3() {
    return binary("python3");
  }

  private static Path binary(String name) {
    String path = System.getenv("PATH");
    List<String> dirs = new ArrayList<>(List.of((path == null ? "" : path).split(":")));
    dirs.add("/usr/bin");
    dirs.add("/usr/local/bin");
    for (String d : dirs) {
      if (d.isEmpty()) {
        continue;
      }
      Path p = Path.of(d, name);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    missing(name + " not found on PATH (install Debian's 'prometheus' package: apt-get install -y prometheus; "
        + "./run-tests does this)");
    return null;
  }

  private static void missing(String message) {
    if (isCi()) {
      Assertions.fail("CI=true and " + message);
    }
    Assumptions.abort("skipped: " + message);
  }

  /**
   * Runs a command, waits up to {@code timeoutSeconds}, and returns its standard output; fails the test with the
   * command's output on a non-zero exit or a timeout.
   */
  public static String run(long timeoutSeconds, Path workDir, String... command) throws IOException,
      InterruptedException {
    Path out = Files.createTempFile("orrery-cmd", ".out");
    Path err = Files.createTempFile("orrery-cmd", ".err");
    try {
      Process p = new ProcessBuilder(command).directory(workDir.toFile()).redirectOutput(out.toFile())
          .redirectError(err.toFile()).start();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        Assertions.fail("timed out after " + timeoutSeconds + "s: " + String.join(" ", command));
      }
      if (p.exitValue() != 0) {
        Assertions.fail("exit " + p.exitValue() + ": " + String.join(" ", command) + "\n" + Files.readString(err)
            + Files.readString(out));
      }
      return Files.readString(out);
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
