package dev.orrery.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuleFileGlobsTest {
  @TempDir
  Path dir;

  @Test
  void patternsExpandToMatchingFilesInLexicalOrderAndPlainPathsStay() throws Exception {
    Path rules = Files.createDirectories(dir.resolve("rules"));
    for (String name : new String[] {"b.yml", "a.yml", "notes.txt"}) {
      Files.writeString(rules.resolve(name), "groups: []\n");
    }
    Files.createDirectories(rules.resolve("team-x"));
    Files.writeString(rules.resolve("team-x/alerts.yml"), "groups: []\n");
    Files.createDirectories(rules.resolve("dir.yml"));
    Path plain = dir.resolve("missing.yml");

    assertThat(RuleFileGlobs.expand(List.of(dir.resolve("rules/*.yml"), plain, rules.resolve("a.yml"))))
        .as("a directory named like a match is no file; a file listed twice is read once")
        .containsExactly(rules.resolve("a.yml"), rules.resolve("b.yml"), plain);
    assertThat(RuleFileGlobs.expand(List.of(dir.resolve("rules/*/alerts.yml"))))
        .containsExactly(rules.resolve("team-x/alerts.yml"));
    assertThat(RuleFileGlobs.expand(List.of(dir.resolve("rules/[ab].yml"), dir.resolve("rules/?.yml"))))
        .containsExactly(rules.resolve("a.yml"), rules.resolve("b.yml"));
    assertThat(RuleFileGlobs.expand(List.of(dir.resolve("nowhere/*.yml"), dir.resolve("rules/*.yaml")))).isEmpty();
  }
}
