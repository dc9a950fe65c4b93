package dev.orrery.examples.cli;

import picocli.CommandLine.Command;

/** {@code orrery tools}: offline tools. */
@Command(name = "tools", description = "Offline tools.", mixinStandardHelpOptions = true,
    subcommands = {BlockToolsCommand.class, BucketToolsCommand.class, WalToolsCommand.class,
        RulesToolsCommand.class})
public final class ToolsCommand implements Runnable {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
