package dev.orrery.objstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.orrery.objstore.filesystem.FilesystemBucket;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BucketProvidersTest {
  @TempDir
  Path directory;

  private final BucketProviders providers = BucketProviders.installed();

  private BucketConfigException configError(String url) {
    return catchThrowableOfType(BucketConfigException.class, () -> providers.open(url).close());
  }

  private BucketConfigException yamlError(String yaml) {
    return catchThrowableOfType(BucketConfigException.class,
        () -> providers.openThanosConfig(yaml, "objstore.yml").close());
  }

  @Test
  void fileUrlOpensAFilesystemBucket() throws IOException {
    try (Bucket bucket = providers.open(directory.toUri().toString())) {
      assertThat(bucket).isInstanceOf(FilesystemBucket.class);
      bucket.upload("a/b", new byte[] {1});
    }
    assertThat(directory.resolve("a/b")).exists();
  }

  @Test
  void memUrlOpensAnInMemoryBucket() throws IOException {
    try (Bucket bucket = providers.open("mem://test")) {
      assertThat(bucket).isInstanceOf(InMemoryBucket.class);
      assertThat(bucket.name()).isEqualTo("test");
    }
  }

  @Test
  void thanosFilesystemConfigWithPrefixOpens() throws IOException {
    Path file = Files.writeString(directory.resolve("objstore.yml"), """
        type: FILESYSTEM
        config:
          directory: %s
        prefix: tenant-a
        """.formatted(directory.resolve("bucket")));
    try (Bucket bucket = providers.openThanosConfig(file)) {
      bucket.upload("01J/meta.json", new byte[] {1});
    }
    assertThat(directory.resolve("bucket/tenant-a/01J/meta.json")).exists();
  }

  @Test
  void unknownSchemeNamesTheScheme() {
    BucketConfigException e = configError("ftp://host/path");
    assertThat(e.setting()).isEqualTo("scheme");
    assertThat(e.getMessage()).isEqualTo("bucket URL ftp://host/path: scheme: unknown scheme 'ftp' (known: file, mem)");
  }

  @Test
  void cloudSchemeWithoutItsArtifactSaysWhichArtifact() {
    assertThat(configError("s3://bucket/prefix").getMessage())
        .isEqualTo("bucket URL s3://bucket/prefix: scheme: scheme 's3' needs the orrery-objstore-s3 artifact on the"
            + " class path");
    assertThat(yamlError("type: GCS\nconfig:\n  bucket: b\n").getMessage())
        .isEqualTo("objstore.yml: type: type GCS needs the orrery-objstore-gcs artifact on the class path");
  }

  @Test
  void missingSchemeAndMalformedUrlAreOneLine() {
    assertThat(configError("/var/lib/bucket").getMessage()).startsWith("bucket URL /var/lib/bucket: scheme: missing");
    assertThat(configError("s3://bad host/").getMessage()).startsWith("bucket URL s3://bad host/: url: not a valid URL");
  }

  @Test
  void credentialsInUrlsAreNotEchoed() {
    assertThat(configError("ftp://AKIAKEY:secret@host/x").getMessage()).doesNotContain("secret")
        .doesNotContain("AKIAKEY");
    assertThat(BucketProviders.redact("s3://b/p?endpoint=h&access_key=AKIA&secret_key=SECRET&x=1"))
        .isEqualTo("s3://b/p?endpoint=h&access_key=***&secret_key=***&x=1");
  }

  @Test
  void yamlErrorsNameTheSetting() {
    assertThat(yamlError("type: FILESYSTEM\nconfig: {}\n").getMessage())
        .isEqualTo("objstore.yml: config.directory: missing (required for type FILESYSTEM)");
    assertThat(yamlError("config:\n  directory: /tmp\n").getMessage())
        .isEqualTo("objstore.yml: type: missing (one of S3, GCS, FILESYSTEM)");
    assertThat(yamlError("type: AZURE\nconfig: {}\n").getMessage())
        .isEqualTo("objstore.yml: type: unsupported type 'AZURE' (supported: FILESYSTEM, MEM)");
    assertThat(yamlError("type: FILESYSTEM\nconfig:\n  directory: /tmp\n  dierctory: /x\n").getMessage())
        .startsWith("objstore.yml: config.dierctory: unknown setting for type FILESYSTEM");
    assertThat(yamlError("type: FILESYSTEM\nconfg:\n  directory: /tmp\n").getMessage())
        .startsWith("objstore.yml: confg: unknown top-level setting");
    assertThat(yamlError("").getMessage()).isEqualTo("objstore.yml: type: missing (the file is empty)");
  }

  @Test
  void unreadableYamlNamesTheLine() {
    BucketConfigException e = yamlError("type: S3\nconfig:\n  bucket: [unclosed\n  endpoint: x\n");
    assertThat(e.getMessage()).startsWith("objstore.yml: line ").contains("not valid YAML").doesNotContain("\n");
  }

  @Test
  void unreadableFileNamesTheFile() {
    Path missing = directory.resolve("nope.yml");
    BucketConfigException e = catchThrowableOfType(BucketConfigException.class,
        () -> providers.openThanosConfig(missing));
    assertThat(e.getMessage()).startsWith(missing + ": file: cannot be read (NoSuchFileException");
  }

  @Test
  void goDurationsParse() {
    assertThat(BucketSettings.parseGoDuration("1m30s")).hasSeconds(90);
    assertThat(BucketSettings.parseGoDuration("500ms")).hasMillis(500);
    assertThat(BucketSettings.parseGoDuration("2h")).hasHours(2);
    assertThat(BucketSettings.parseGoDuration("1.5s")).hasMillis(1500);
    assertThat(BucketSettings.parseGoDuration("10")).isNull();
    assertThat(BucketSettings.parseGoDuration("abc")).isNull();
  }
}
