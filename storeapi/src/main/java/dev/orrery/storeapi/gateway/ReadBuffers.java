package dev.orrery.storeapi.gateway;

import java.util.ArrayList;
import java.util.List;

/**
 * The chunk read buffers of one {@code Series} request, reused from one output batch to the next: once a batch's
 * frames are sent (each frame copies the chunk bytes it needs), its buffers go back with {@link #releaseAll()}.
 * Confined to the request's thread.
 */
final class ReadBuffers {
  private final List<byte[]> free = new ArrayList<>();
  private final List<byte[]> inUse = new ArrayList<>();

  /** A buffer of at least {@code size} bytes, in use until {@link #releaseAll()}. */
  byte[] take(int size) {
    for (int i = free.size() - 1; i >= 0; i--) {
      byte[] b = free.get(i);
      if (b.length >= size) {
        free.remove(i);
        inUse.add(b);
        return b;
      }
    }
    byte[] b = new byte[Math.max(size, 4096)];
    inUse.add(b);
    return b;
  }

  /** Makes every buffer taken so far available again; the views into them become invalid. */
  void releaseAll() {
    free.addAll(inUse);
    inUse.clear();
  }
}
