package dev.orrery.storeapi.gateway;

import dev.orrery.core.labels.Labels;
import dev.orrery.storeapi.EncodedSeriesFrame;
import dev.orrery.storeapi.proto.thanos.AggrChunk;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Writes {@code thanos.SeriesResponse} frames straight into protobuf wire format (FORMATS.md 8.2): one series per
 * frame ({@code series}, field 1) or several ({@code batch}, field 4, a {@code SeriesBatch} of {@code Series}). Raw
 * chunk bytes are copied once, from the read buffer into the frame; encoded labels are kept per request, since label
 * pairs repeat across series. Zero-valued scalars are omitted, as protobuf does, so frames decode to the same messages
 * a generated encoder would produce. Confined to one thread.
 */
final class SeriesFrameEncoder {
  private static final int RESERVE = 6;
  private static final int TAG_SERIES = 0x0a;
  private static final int TAG_BATCH = 0x22;
  private static final int MAX_CACHED_LABELS = 1 << 16;

  private final boolean batch;
  private final Map<String, Map<String, byte[]>> labelCache = new HashMap<>();
  private int cachedLabels;
  private byte[] buf = new byte[16 * 1024];
  private int pos = RESERVE;
  private int series;

  // The series being built.
  private byte[][] labels = new byte[16][];
  private int nLabels;
  private int labelsSize;
  private long[] minT = new long[64];
  private long[] maxT = new long[64];
  private int[] type = new int[64];
  private byte[][] data = new byte[64][];
  private int[] dataOff = new int[64];
  private int[] dataLen = new int[64];
  private byte[][] prebuilt = new byte[64][];
  private int nChunks;

  /** @param batch whether frames carry several series ({@code SeriesBatch}) or exactly one */
  SeriesFrameEncoder(boolean batch) {
    this.batch = batch;
  }

  /** Series in the current frame. */
  int seriesInFrame() {
    return series;
  }

  /** Bytes in the current frame so far. */
  int frameBytes() {
    return pos - RESERVE;
  }

  void beginSeries(Labels l) {
    nLabels = 0;
    labelsSize = 0;
    nChunks = 0;
    if (labels.length < l.size()) {
      labels = new byte[l.size()][];
    }
    for (int i = 0; i < l.size(); i++) {
      byte[] enc = label(l.name(i), l.value(i));
      labels[nLabels++] = enc;
      labelsSize += enc.length;
    }
  }

  // One Label message as a field of Series: tag 0x0a, length, name (field 1) and value (field 2).
  private byte[] label(String name, String value) {
    Map<String, byte[]> byValue = labelCache.get(name);
    if (byValue == null) {
      byValue = new HashMap<>();
      labelCache.put(name, byValue);
    }
    byte[] enc = byValue.get(value);
    if (enc != null) {
      return enc;
    }
    byte[] n = name.getBytes(StandardCharsets.UTF_8);
    byte[] v = value.getBytes(StandardCharsets.UTF_8);
    int body = (n.length > 0 ? 1 + varintSize(n.length) + n.length : 0)
        + (v.length > 0 ? 1 + varintSize(v.length) + v.length : 0);
    enc = new byte[1 + varintSize(body) + body];
    int p = 0;
    enc[p++] = TAG_SERIES;
    p = putVarint(enc, p, body);
    if (n.length > 0) {
      enc[p++] = 0x0a;
      p = putVarint(enc, p, n.length);
      System.arraycopy(n, 0, enc, p, n.length);
      p += n.length;
    }
    if (v.length > 0) {
      enc[p++] = 0x12;
      p = putVarint(enc, p, v.length);
      System.arraycopy(v, 0, enc, p, v.length);
    }
    if (cachedLabels < MAX_CACHED_LABELS) {
      byValue.put(value, enc);
      cachedLabels++;
    }
    return enc;
  }

  private void growChunks() {
    int cap = nChunks * 2;
    minT = Arrays.copyOf(minT, cap);
    maxT = Arrays.copyOf(maxT, cap);
    type = Arrays.copyOf(type, cap);
    data = Arrays.copyOf(data, cap);
    dataOff = Arrays.copyOf(dataOff, cap);
    dataLen = Arrays.copyOf(dataLen, cap);
    prebuilt = Arrays.copyOf(prebuilt, cap);
  }

  /** Adds a raw chunk: {@code AggrChunk{min_time, max_time, raw = Chunk{type, data}}}. */
  void addRawChunk(long minTime, long maxTime, int wireType, byte[] bytes, int off, int len) {
    if (nChunks == minT.length) {
      growChunks();
    }
    minT[nChunks] = minTime;
    maxT[nChunks] = maxTime;
    type[nChunks] = wireType;
    data[nChunks] = bytes;
    dataOff[nChunks] = off;
    dataLen[nChunks] = len;
    prebuilt[nChunks] = null;
    nChunks++;
  }

  /** Adds a chunk given as a message (aggregates of downsampled blocks, re-encoded chunks). */
  void addChunk(AggrChunk chunk) {
    if (nChunks == minT.length) {
      growChunks();
    }
    prebuilt[nChunks] = chunk.toByteArray();
    nChunks++;
  }

  private int chunkBodySize(int i) {
    int len = dataLen[i];
    return (type[i] != 0 ? 1 + varintSize(type[i]) : 0) + (len > 0 ? 1 + varintSize(len) + len : 0);
  }

  private int aggrBodySize(int i) {
    if (prebuilt[i] != null) {
      return prebuilt[i].length;
    }
    int c = chunkBodySize(i);
    return (minT[i] != 0 ? 1 + varintSize(minT[i]) : 0) + (maxT[i] != 0 ? 1 + varintSize(maxT[i]) : 0)
        + 1 + varintSize(c) + c;
  }

  /** Writes the series begun by {@link #beginSeries} into the current frame. */
  void endSeries() {
    int body = labelsSize;
    for (int i = 0; i < nChunks; i++) {
      int a = aggrBodySize(i);
      body += 1 + varintSize(a) + a;
    }
    ensure(1 + 5 + body);
    buf[pos++] = TAG_SERIES;
    pos = putVarint(buf, pos, body);
    for (int i = 0; i < nLabels; i++) {
      System.arraycopy(labels[i], 0, buf, pos, labels[i].length);
      pos += labels[i].length;
    }
    for (int i = 0; i < nChunks; i++) {
      int a = aggrBodySize(i);
      buf[pos++] = 0x12;
      pos = putVarint(buf, pos, a);
      if (prebuilt[i] != null) {
        System.arraycopy(prebuilt[i], 0, buf, pos, a);
        pos += a;
        prebuilt[i] = null;
        continue;
      }
      if (minT[i] != 0) {
        buf[pos++] = 0x08;
        pos = putVarint(buf, pos, minT[i]);
      }
      if (maxT[i] != 0) {
        buf[pos++] = 0x10;
        pos = putVarint(buf, pos, maxT[i]);
      }
      buf[pos++] = 0x1a;
      pos = putVarint(buf, pos, chunkBodySize(i));
      if (type[i] != 0) {
        buf[pos++] = 0x08;
        pos = putVarint(buf, pos, type[i]);
      }
      if (dataLen[i] > 0) {
        buf[pos++] = 0x12;
        pos = putVarint(buf, pos, dataLen[i]);
        System.arraycopy(data[i], dataOff[i], buf, pos, dataLen[i]);
        pos += dataLen[i];
      }
      data[i] = null;
    }
    series++;
  }

  /**
   * Ends the current frame and returns it; the frame owns its buffer and the next frame starts in a new one (sized
   * like this one), since a transport may read a frame after it was handed over.
   *
   * @return the frame, or {@code null} when it holds no series
   */
  EncodedSeriesFrame finishFrame() {
    if (series == 0) {
      return null;
    }
    int start;
    if (batch) {
      int len = pos - RESERVE;
      int header = 1 + varintSize(len);
      start = RESERVE - header;
      buf[start] = TAG_BATCH;
      putVarint(buf, start + 1, len);
    } else {
      start = RESERVE;
    }
    EncodedSeriesFrame f = new EncodedSeriesFrame(buf, start, pos - start);
    buf = new byte[Math.max(1024, Math.min(pos + (pos >> 3) + 64, 4 << 20))];
    pos = RESERVE;
    series = 0;
    return f;
  }

  private void ensure(int more) {
    if (pos + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + more));
    }
  }

  static int varintSize(long v) {
    int n = 1;
    while ((v & ~0x7FL) != 0) {
      v >>>= 7;
      n++;
    }
    return n;
  }

  static int putVarint(byte[] b, int p, long v) {
    while ((v & ~0x7FL) != 0) {
      b[p++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    b[p++] = (byte) v;
    return p;
  }
}
