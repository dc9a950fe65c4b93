package dev.orrery.promql.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Objects;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;

/**
 * A response body written through a buffer: a body that fits in it goes out in one write with a
 * {@code Content-Length} (headers and body in one packet, no chunk framing); a larger one streams, chunked, one
 * buffer-full at a time. Each write blocks until Jetty has taken the bytes.
 *
 * <p>Confined to one thread.
 */
final class ResponseBodyStream extends OutputStream {
  static final int DEFAULT_BUFFER_BYTES = 64 * 1024;

  private final Response response;
  private final byte[] buf;
  private int count;
  private boolean streaming;
  private boolean closed;

  ResponseBodyStream(Response response, int bufferBytes) {
    this.response = Objects.requireNonNull(response, "response is null");
    this.buf = new byte[bufferBytes];
  }

  @Override
  public void write(int b) throws IOException {
    if (count == buf.length) {
      drain();
    }
    buf[count++] = (byte) b;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (len >= buf.length) {
      // Larger than the buffer: what is buffered, then these bytes, without copying them.
      drain();
      send(false, ByteBuffer.wrap(b, off, len));
      return;
    }
    if (len > buf.length - count) {
      drain();
    }
    System.arraycopy(b, off, buf, count, len);
    count += len;
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    if (!streaming) {
      response.getHeaders().put(HttpHeader.CONTENT_LENGTH, count);
    }
    send(true, ByteBuffer.wrap(buf, 0, count));
  }

  private void drain() throws IOException {
    if (count > 0) {
      send(false, ByteBuffer.wrap(buf, 0, count));
      count = 0;
    }
  }

  private void send(boolean last, ByteBuffer bytes) throws IOException {
    if (closed && !last) {
      throw new IOException("response body is closed");
    }
    streaming |= !last;
    try (Blocker.Callback callback = Blocker.callback()) {
      response.write(last, bytes, callback);
      callback.block();
    }
  }
}
