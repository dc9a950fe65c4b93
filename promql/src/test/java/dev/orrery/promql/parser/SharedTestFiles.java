package dev.orrery.promql.parser;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * The Prometheus test scripts in {@code shared/promql-tests/} (see its {@code DSL.md}): finds the folder through
 * {@code ORRERY_SHARED} or {@code ../shared} next to the project root, and extracts every {@code eval} query with
 * whether an {@code expect fail} follows it. A missing folder fails the test under {@code CI=true} and skips it
 * otherwise.
 */
final class SharedTestFiles {
  private static final Pattern EVAL = Pattern.compile(
      "^(eval(?:_fail|_warn|_info|_ordered)?)\\s+(?:instant\\s+at\\s+\\S+|range\\s+from\\s+\\S+\\s+to\\s+\\S+\\s+step"
          + "\\s+\\S+)\\s+(.*)$");

  /** One {@code eval} command. */
  record EvalCase(String file, int line, String query, boolean expectFail) {
    @Override
    public String toString() {
      return file + ":" + line + ": " + query;
    }
  }

  private SharedTestFiles() {}

  /** The folder with the {@code .test} files; aborts (skips) or fails the calling test when it is missing. */
  static Path folder() {
    String env = System.getenv("ORRERY_SHARED");
    Path shared;
    if (env != null && !env.isBlank()) {
      shared = Path.of(env);
    } else {
      String root = System.getenv("ORRERY_PROJECT_ROOT");
      Path projectRoot = root != null ? Path.of(root) : Path.of("").toAbsolutePath().getParent();
      shared = projectRoot.resolve("../shared").normalize();
    }
    Path tests = shared.resolve("promql-tests");
    if (!Files.isDirectory(tests)) {
      String reason = "PromQL test files not found at " + tests + " (set ORRERY_SHARED)";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(reason);
      }
      Assumptions.abort(reason);
    }
    return tests;
  }

  /** Every eval command of every {@code .test} file, in file and line order. */
  static List<EvalCase> evalCases() throws IOException {
    List<EvalCase> out = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> s = Files.list(folder())) {
      files = s.filter(p -> p.toString().endsWith(".test")).sorted().toList();
    }
    for (Path f : files) {
      List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
      for (int i = 0; i < lines.size(); i++) {
        Matcher m = EVAL.matcher(lines.get(i));
        if (!m.matches()) {
          continue;
        }
        boolean fail = m.group(1).equals("eval_fail");
        for (int j = i + 1; j < lines.size(); j++) {
          String l = lines.get(j);
          if (l.isBlank() || !Character.isWhitespace(l.charAt(0))) {
            break;
          }
          if (l.strip().startsWith("expect fail")) {
            fail = true;
          }
        }
        out.add(new EvalCase(f.getFileName().toString(), i + 1, m.group(2), fail));
      }
    }
    return out;
  }
}
