package dev.orrery.examples.cli;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code --rule-file} values that are glob patterns ({@code /etc/rules/*.yml}, {@code rules/*}{@code /alerts.yml}),
 * expanded as Thanos' ruler expands them, at start and at every reload, so that files added to a directory are picked
 * up: {@code *}, {@code ?} and {@code [...]} match within one path element, matches come in lexical order, and a
 * pattern that matches nothing contributes nothing. Plain paths stay as they are (reading a missing one fails).
 */
final class RuleFileGlobs {
  private RuleFileGlobs() {}

  /** The files {@code values} name, each once, in the order given and, for a pattern, in lexical order. */
  static List<Path> expand(List<Path> values) throws IOException {
    Set<Path> out = new LinkedHashSet<>();
    for (Path value : values) {
      if (!isPattern(value.toString())) {
        out.add(value);
        continue;
      }
      Path pattern = value.toAbsolutePath().normalize();
      Path base = pattern.getRoot();
      int fixed = 0;
      while (fixed < pattern.getNameCount() && !isPattern(pattern.getName(fixed).toString())) {
        base = base.resolve(pattern.getName(fixed).toString());
        fixed++;
      }
      PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
      List<Path> matches = new ArrayList<>();
      try (Stream<Path> walk = Files.walk(base, pattern.getNameCount() - fixed)) {
        walk.filter(p -> p.getNameCount() == pattern.getNameCount() && matcher.matches(p) && Files.isRegularFile(p))
            .forEach(matches::add);
      } catch (NoSuchFileException e) {
        // The fixed part does not exist: nothing matches.
      }
      matches.sort(null);
      out.addAll(matches);
    }
    return List.copyOf(out);
  }

  private static boolean isPattern(String s) {
    return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0;
  }
}
