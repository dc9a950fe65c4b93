package dev.orrery.examples.cli;

import dev.orrery.objstore.Bucket;
import dev.orrery.objstore.BucketProviders;
import dev.orrery.objstore.RetryingBucket;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * The bucket flags of every command that reads a bucket, named as Thanos names them: exactly one of {@code
 * --objstore.config-file} (a Thanos objstore YAML file), {@code --objstore.config} (the same YAML inline) or
 * {@code --objstore.url} ({@code file:///dir}, {@code mem://name}, {@code s3://bucket/prefix?endpoint=...}, {@code
 * gs://bucket/prefix}). A picocli mixin.
 */
final class ObjstoreOptions {
  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  /** The three mutually exclusive ways to name the bucket. */
  static final class Source {
    @Option(names = "--objstore.config-file", paramLabel = "<file>",
        description = "Thanos objstore YAML file (type: S3|GCS|FILESYSTEM, config: ..., prefix: ...).")
    Path configFile;

    @Option(names = "--objstore.config", paramLabel = "<yaml>",
        description = "The content of a Thanos objstore YAML file, instead of --objstore.config-file.")
    String config;

    @Option(names = "--objstore.url", paramLabel = "<url>",
        description = "Bucket URL: file:///dir, s3://bucket/prefix?endpoint=host:port, gs://bucket/prefix.")
    String url;
  }

  /**
   * Opens the bucket, with retries on transient errors.
   *
   * @return the bucket, owned by the caller
   * @throws dev.orrery.objstore.BucketConfigException if the configuration is bad (one line naming the setting)
   * @throws IOException if the bucket cannot be opened
   */
  Bucket open() throws IOException {
    BucketProviders providers = BucketProviders.installed();
    Bucket bucket;
    if (source.configFile != null) {
      bucket = providers.openThanosConfig(source.configFile);
    } else if (source.config != null) {
      bucket = providers.openThanosConfig(source.config, "--objstore.config");
    } else {
      bucket = providers.open(source.url);
    }
    return RetryingBucket.builder(bucket).build();
  }
}
