package dev.orrery.objstore.filesystem;

import dev.orrery.objstore.Bucket;
import dev.orrery.objstore.BucketConfigException;
import dev.orrery.objstore.BucketProvider;
import dev.orrery.objstore.BucketSettings;
import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystemException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * Opens {@link FilesystemBucket}s: the URL {@code file:///absolute/directory} and Thanos' objstore type {@code
 * FILESYSTEM} with its single setting {@code directory}.
 */
public final class FilesystemBucketProvider implements BucketProvider {
  /** Creates the provider; called by {@link java.util.ServiceLoader}. */
  public FilesystemBucketProvider() {}

  @Override
  public String scheme() {
    return "file";
  }

  @Override
  public String type() {
    return "FILESYSTEM";
  }

  @Override
  public BucketSettings settingsFromUrl(URI url, String source) throws BucketConfigException {
    if (url.getRawQuery() != null) {
      throw new BucketConfigException(source, "query", "file URLs take no parameters");
    }
    if (url.getAuthority() != null && !url.getAuthority().isEmpty() && !url.getAuthority().equals("localhost")) {
      throw new BucketConfigException(source, "directory", "must be an absolute path such as file:///var/lib/bucket"
          + " (got host '" + url.getAuthority() + "')");
    }
    String path = url.getPath();
    if (path == null || path.isEmpty()) {
      throw new BucketConfigException(source, "directory", "missing (use file:///absolute/path)");
    }
    return new BucketSettings(source, type(), "", Map.of("directory", path));
  }

  @Override
  public Bucket open(BucketSettings settings) throws IOException {
    settings.checkKnownKeys(Set.of("directory"));
    String directory = settings.requireString("directory");
    Path path;
    try {
      path = Path.of(directory);
    } catch (InvalidPathException e) {
      throw settings.invalid("directory", "not a valid path (" + e.getMessage() + ")");
    }
    try {
      return FilesystemBucket.open(path);
    } catch (FileSystemException e) {
      throw new BucketConfigException(settings.source(), settings.settingName("directory"), "cannot create or use "
          + directory + " (" + e.getClass().getSimpleName() + ": " + e.getReason() + ")", e);
    }
  }
}
