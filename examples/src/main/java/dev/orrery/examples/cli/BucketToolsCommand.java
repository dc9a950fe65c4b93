package dev.orrery.examples.cli;

import dev.orrery.core.block.BlockDirectory;
import dev.orrery.core.block.BlockMeta;
import dev.orrery.core.block.BlockVerifier;
import dev.orrery.core.block.Ulid;
import dev.orrery.core.io.CorruptBlockException;
import dev.orrery.core.labels.Matcher;
import dev.orrery.objstore.Bucket;
import dev.orrery.objstore.BucketConfigException;
import dev.orrery.objstore.ObjectNotFoundException;
import dev.orrery.objstore.block.BlockBucket;
import dev.orrery.objstore.block.DeletionMarkFilter;
import dev.orrery.objstore.block.ExternalLabelsFilter;
import dev.orrery.objstore.block.MetaFetcher;
import dev.orrery.objstore.block.MetaFilter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code orrery tools bucket ...}: list, inspect, verify and mark the blocks of a Thanos bucket, as Thanos' {@code
 * tools bucket} does. Exit status 0 on success, 1 when an operation fails or a block has a problem, 2 for a usage
 * error or a bad bucket configuration.
 */
@Command(name = "bucket", description = "List, inspect, verify and mark the blocks of a Thanos bucket.",
    mixinStandardHelpOptions = true,
    subcommands = {BucketToolsCommand.Ls.class, BucketToolsCommand.Inspect.class, BucketToolsCommand.Verify.class,
        BucketToolsCommand.MarkDeletion.class})
public final class BucketToolsCommand implements Runnable {
  /** Exit status of a usage error or a bad bucket configuration, as picocli uses for usage errors. */
  static final int EXIT_USAGE = 2;
  /** Exit status of a failed operation or a block with a problem. */
  static final int EXIT_FAILURE = 1;
  /** Meta reads in flight, as Thanos' {@code --block-meta-fetch-concurrency} defaults to. */
  private static final int FETCH_CONCURRENCY = 32;

  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /**
   * What every bucket subcommand shares: the bucket flags, opening and closing the bucket, reporting a bad
   * configuration as one line with exit status 2, and a meta fetcher on virtual threads.
   */
  abstract static class BucketSubcommand implements Callable<Integer> {
    @Mixin
    ObjstoreOptions objstore;

    @Spec
    CommandSpec spec;

    @Override
    public final Integer call() throws IOException {
      checkArguments();
      try (Bucket bucket = objstore.open();
          ExecutorService readers = Executors.newVirtualThreadPerTaskExecutor()) {
        int exit = run(bucket, readers);
        out().flush();
        err().flush();
        return exit;
      } catch (BucketConfigException e) {
        err().println("orrery: " + e.getMessage());
        err().flush();
        return EXIT_USAGE;
      }
    }

    /** Checks the flags before the bucket is opened; throws {@link ParameterException} for a usage error. */
    void checkArguments() {}

    /**
     * Does the work.
     *
     * @param bucket the open bucket
     * @param readers where concurrent reads run
     * @return the exit status
     * @throws IOException if the bucket fails
     */
    abstract int run(Bucket bucket, ExecutorService readers) throws IOException;

    /** A fetcher of every block's meta with the given filters. */
    static MetaFetcher fetcher(Bucket bucket, ExecutorService readers, List<MetaFilter> filters) {
      MetaFetcher.Builder builder = MetaFetcher.builder(bucket).executor(readers).concurrency(FETCH_CONCURRENCY);
      filters.forEach(builder::filter);
      return builder.build();
    }

    /** Fetches the metas and reports unreadable ones on standard error, naming the block. */
    MetaFetcher.FetchResult fetch(MetaFetcher fetcher) throws IOException {
      MetaFetcher.FetchResult result = fetcher.fetch();
      for (Map.Entry<Ulid, IOException> failed : result.failed().entrySet()) {
        err().println("orrery: block " + failed.getKey() + ": cannot read meta.json: "
            + failed.getValue().getMessage());
      }
      return result;
    }

    ParameterException usageError(String message) {
      return new ParameterException(spec.commandLine(), message);
    }

    PrintWriter out() {
      return spec.commandLine().getOut();
    }

    PrintWriter err() {
      return spec.commandLine().getErr();
    }
  }

  /** Lists the blocks. */
  @Command(name = "ls", mixinStandardHelpOptions = true,
      description = "List the blocks in the bucket: one ULID a line, or with -o wide a summary, or with -o json "
          + "each block's meta.json. A meta.json that cannot be read is reported on standard error.")
  static final class Ls extends BucketSubcommand {
    private static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
        .withZone(ZoneOffset.UTC);

    @Option(names = {"-o", "--output"}, paramLabel = "<format>", defaultValue = "",
        description = "json or wide (default: the ULID only).")
    String output;

    @Option(names = "--exclude-delete", description = "Leave out blocks marked for deletion.")
    boolean excludeDelete;

    @Override
    void checkArguments() {
      if (!Set.of("", "json", "wide").contains(output)) {
        throw usageError("--output: unknown format '" + output + "' (use json or wide)");
      }
    }

    @Override
    int run(Bucket bucket, ExecutorService readers) throws IOException {
      List<MetaFilter> filters = new ArrayList<>();
      if (excludeDelete) {
        Clock clock = Clock.systemUTC();
        filters.add(new DeletionMarkFilter(new BlockBucket(bucket, clock), fetcher(bucket, readers, List.of()),
            Duration.ZERO, clock));
      }
      MetaFetcher.FetchResult result = fetch(fetcher(bucket, readers, filters));
      PrintWriter out = out();
      for (BlockMeta meta : result.metas().values()) {
        switch (output) {
          case "json" -> {
            String json = meta.toJson();
            out.print(json.endsWith("\n") ? json : json + System.lineSeparator());
          }
          case "wide" -> out.printf("%s -- %s - %s Diff: %s, Compaction: %d, Downsample: %d, Source: %s%n",
              meta.ulid(), MINUTES.format(Instant.ofEpochMilli(meta.minTimeMillis())),
              MINUTES.format(Instant.ofEpochMilli(meta.maxTimeMillis())),
              BlockTable.duration(meta.maxTimeMillis() - meta.minTimeMillis()), meta.compaction().level(),
              meta.thanos() == null ? 0 : meta.thanos().downsampleResolutionMillis(),
              meta.thanos() == null ? "" : meta.thanos().source());
          default -> out.println(meta.ulid());
        }
      }
      return 0;
    }
  }

  /** Prints Thanos' inspect table. */
  @Command(name = "inspect", mixinStandardHelpOptions = true,
      description = "One row per block with the columns of Thanos' tools bucket inspect (times in UTC). A meta.json "
          + "that cannot be read is reported on standard error.")
  static final class Inspect extends BucketSubcommand {
    @Option(names = {"-l", "--selector"}, paramLabel = "<name>=\"<value>\"",
        description = "Only blocks whose external labels match, e.g. -l cluster=\"eu1\" -l environment=~\"prod.*\"; "
            + "repeat for several, all must match (=, !=, =~, !~).")
    List<String> selectors = new ArrayList<>();

    @Option(names = "--sort-by", paramLabel = "<column>", split = ",",
        description = "Columns to sort by, most significant first (default FROM,UNTIL).")
    List<String> sortBy = new ArrayList<>(List.of("FROM", "UNTIL"));

    @Option(names = {"-o", "--output"}, paramLabel = "<format>", defaultValue = "table",
        description = "table, tsv or csv (default ${DEFAULT-VALUE}).")
    String output;

    private List<Matcher> matchers;
    private List<BucketTable.Column> columns;
    private TextTable.Style style;

    @Override
    void checkArguments() {
      try {
        matchers = LabelSelectors.parse("--selector", selectors);
      } catch (IllegalArgumentException e) {
        throw usageError(e.getMessage());
      }
      columns = new ArrayList<>();
      for (String column : sortBy) {
        try {
          columns.add(BucketTable.Column.byName(column));
        } catch (IllegalArgumentException e) {
          throw usageError("--sort-by: " + e.getMessage());
        }
      }
      style = switch (output.toLowerCase(Locale.ROOT)) {
        case "table" -> TextTable.Style.BORDERED;
        case "tsv" -> TextTable.Style.TSV;
        case "csv" -> TextTable.Style.CSV;
        default -> throw usageError("--output: unknown format '" + output + "' (use table, tsv or csv)");
      };
    }

    @Override
    int run(Bucket bucket, ExecutorService readers) throws IOException {
      List<MetaFilter> filters = matchers.isEmpty() ? List.of() : List.of(new ExternalLabelsFilter(matchers));
      MetaFetcher.FetchResult result = fetch(fetcher(bucket, readers, filters));
      BucketTable.print(out(), result.metas().values(), columns, style);
      return 0;
    }
  }

  /** Checks every block. */
  @Command(name = "verify", mixinStandardHelpOptions = true,
      description = "Check every block: meta.json, every file of thanos.files present with its size, then download "
          + "the block and check every CRC, the index and every chunk. Exit status 1 on a problem.")
  static final class Verify extends BucketSubcommand {
    @Option(names = "--id", paramLabel = "<ULID>", description = "Check only these blocks (repeatable).")
    List<String> ids = new ArrayList<>();

    @Option(names = "--tmp.dir", paramLabel = "<dir>",
        description = "Where blocks are downloaded for checking (default: a new temporary directory).")
    Path tmpDir;

    private Set<Ulid> only;

    @Override
    void checkArguments() {
      only = parseIds(this, ids);
    }

    @Override
    int run(Bucket bucket, ExecutorService readers) throws IOException {
      MetaFetcher.FetchResult result = fetch(fetcher(bucket, readers, List.of()));
      int checked = 0;
      int bad = 0;
      for (Ulid id : result.failed().keySet()) {
        if (only.isEmpty() || only.contains(id)) {
          checked++;
          bad++;  // fetch() has reported it.
        }
      }
      for (Ulid id : result.partial()) {
        if (only.contains(id)) {
          err().println("orrery: block " + id + ": no meta.json (partial upload, or deletion in progress)");
          checked++;
          bad++;
        } else if (only.isEmpty()) {
          out().println(id + ": skipped: no meta.json (partial upload, or deletion in progress)");
        }
      }
      Set<Ulid> toCheck = new TreeSet<>(only.isEmpty() ? result.metas().keySet() : only);
      toCheck.removeAll(result.failed().keySet());
      toCheck.removeAll(result.partial());
      BlockBucket blocks = new BlockBucket(bucket, Clock.systemUTC());
      Path workDir = tmpDir != null ? Files.createDirectories(tmpDir) : Files.createTempDirectory("orrery-verify");
      try {
        for (Ulid id : toCheck) {
          checked++;
          List<String> problems = result.metas().containsKey(id) ? check(blocks, id, workDir)
              : List.of("not in the bucket");
          if (!problems.isEmpty()) {
            bad++;
            for (String problem : problems) {
              err().println("orrery: block " + id + ": " + problem);
            }
          }
        }
      } finally {
        if (tmpDir == null) {
          BlockDirectory.delete(workDir);
        }
      }
      out().printf("%d %s checked, %d with problems%n", checked, checked == 1 ? "block" : "blocks", bad);
      return bad == 0 ? 0 : EXIT_FAILURE;
    }

    /** Checks one block in the bucket, then downloaded; returns its problems, one line each. */
    private List<String> check(BlockBucket blocks, Ulid id, Path workDir) throws IOException {
      List<String> problems = new ArrayList<>();
      for (String problem : blocks.verify(id)) {
        // BlockBucket names the block or its object first; the caller names the block already.
        problems.add(problem.startsWith(id.toString()) ? problem.substring(id.toString().length())
            .replaceFirst("^[/:] ?", "") : problem);
      }
      if (!problems.isEmpty()) {
        return problems;
      }
      Path dir = null;
      try {
        dir = blocks.download(id, workDir);
        BlockVerifier.Report report = BlockVerifier.verify(dir);
        if (report.ok()) {
          out().printf("%s: OK (%d series, %d chunks, %d samples)%n", id, report.series(), report.chunks(),
              report.samples());
        }
        problems.addAll(report.problems());
      } catch (CorruptBlockException | ObjectNotFoundException e) {
        // A size that differs from thanos.files, or an object deleted meanwhile.
        problems.add(e.getMessage());
      } finally {
        if (dir != null) {
          BlockDirectory.delete(dir);
        }
      }
      return problems;
    }
  }

  /** Writes deletion marks. */
  @Command(name = "mark-deletion", mixinStandardHelpOptions = true,
      description = "Mark blocks for deletion by writing <ULID>/deletion-mark.json as Thanos does; the compactor "
          + "deletes them after its delete delay. A block that is marked already keeps its mark.")
  static final class MarkDeletion extends BucketSubcommand {
    @Option(names = "--id", paramLabel = "<ULID>", required = true, description = "The block (repeatable).")
    List<String> ids;

    @Option(names = "--details", paramLabel = "<text>", required = true,
        description = "Why the block is deleted; stored in the mark.")
    String details;

    private Set<Ulid> marked;

    @Override
    void checkArguments() {
      marked = parseIds(this, ids);
    }

    @Override
    int run(Bucket bucket, ExecutorService readers) throws IOException {
      BlockBucket blocks = new BlockBucket(bucket, Clock.systemUTC());
      // All or nothing: check every block before marking any.
      List<Ulid> missing = new ArrayList<>();
      for (Ulid id : marked) {
        if (!bucket.exists(BlockBucket.metaKey(id))) {
          missing.add(id);
        }
      }
      if (!missing.isEmpty()) {
        for (Ulid id : missing) {
          err().println("orrery: block " + id + ": not in the bucket " + bucket.name() + " (no meta.json); "
              + "nothing marked");
        }
        return EXIT_FAILURE;
      }
      for (Ulid id : marked) {
        if (blocks.markForDeletion(id, details)) {
          out().println(id + ": marked for deletion");
        } else {
          out().println(id + ": already marked for deletion");
        }
      }
      return 0;
    }
  }

  /** Parses {@code --id} values; a bad one is a usage error. */
  private static Set<Ulid> parseIds(BucketSubcommand command, List<String> ids) {
    Set<Ulid> parsed = new TreeSet<>();
    for (String id : ids) {
      if (!Ulid.isValid(id)) {
        throw command.usageError("--id: not a ULID: '" + id + "'");
      }
      parsed.add(Ulid.parse(id));
    }
    return parsed;
  }
}
