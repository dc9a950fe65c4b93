package dev.orrery.promql.exec.binary;

import dev.orrery.core.labels.Labels;
import dev.orrery.promql.ast.BinaryOp;
import dev.orrery.promql.ast.VectorMatching;
import dev.orrery.promql.exec.SeriesInfo;
import dev.orrery.promql.exec.StepVector;
import dev.orrery.promql.exec.VectorOperator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code and}, {@code or}, {@code unless} by matching signature at each step. {@code or}'s output series are the left
 * series followed by the right ones.
 */
public final class SetOperator implements VectorOperator {
  private final BinaryOp op;
  private final VectorOperator lhs;
  private final VectorOperator rhs;
  private final VectorMatching matching;
  private List<SeriesInfo> series;
  private int[] lhsSig;
  private int[] rhsSig;
  private int sigCount;
  private int lhsCount;
  private StepVector[] rhsBuf;

  /** A set operation between two vectors. */
  public SetOperator(BinaryOp op, VectorOperator lhs, VectorOperator rhs, VectorMatching matching) {
    this.op = op;
    this.lhs = lhs;
    this.rhs = rhs;
    this.matching = matching;
  }

  @Override
  public List<SeriesInfo> series() {
    if (series == null) {
      List<SeriesInfo> l = lhs.series();
      List<SeriesInfo> r = rhs.series();
      Map<Labels, Integer> interned = new HashMap<>();
      List<Labels> keys = new ArrayList<>();
      List<String> names = matching != null ? matching.matchingLabels() : List.of();
      boolean on = matching != null && matching.on();
      lhsSig = Signatures.of(l, on, names, interned, keys);
      rhsSig = Signatures.of(r, on, names, interned, keys);
      sigCount = interned.size();
      lhsCount = l.size();
      series = new ArrayList<>(l);
      if (op == BinaryOp.OR) {
        series.addAll(r);
      }
    }
    return series;
  }

  @Override
  public int next(StepVector[] buf) {
    series();
    int n = lhs.next(buf);
    if (n == 0) {
      return 0;
    }
    if (rhsBuf == null || rhsBuf.length != n) {
      rhsBuf = StepVector.newBatch(n);
    }
    rhs.next(rhsBuf);
    boolean[] present = new boolean[sigCount];
    for (int i = 0; i < n; i++) {
      StepVector l = buf[i];
      StepVector r = rhsBuf[i];
      Arrays.fill(present, false);
      switch (op) {
        case AND, UNLESS -> {
          for (int k = 0; k < r.size; k++) {
            present[rhsSig[r.ids[k]]] = true;
          }
          int w = 0;
          for (int k = 0; k < l.size; k++) {
            boolean match = present[lhsSig[l.ids[k]]];
            if (match == (op == BinaryOp.AND)) {
              l.ids[w] = l.ids[k];
              l.values[w] = l.values[k];
              l.histograms[w++] = l.histograms[k];
            }
          }
          l.truncate(w);
        }
        case OR -> {
          for (int k = 0; k < l.size; k++) {
            present[lhsSig[l.ids[k]]] = true;
          }
          for (int k = 0; k < r.size; k++) {
            if (!present[rhsSig[r.ids[k]]]) {
              l.addFrom(r, k, lhsCount + r.ids[k]);
            }
          }
        }
        default -> throw new IllegalStateException("not a set operator: " + op);
      }
    }
    return n;
  }

  @Override
  public List<VectorOperator> children() {
    return List.of(lhs, rhs);
  }

  @Override
  public String describe() {
    return op.symbol();
  }
}
