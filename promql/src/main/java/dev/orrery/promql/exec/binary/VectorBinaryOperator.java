package dev.orrery.promql.exec.binary;

import dev.orrery.core.histogram.FloatHistogram;
import dev.orrery.core.labels.Labels;
import dev.orrery.core.labels.LabelsBuilder;
import dev.orrery.promql.ast.BinaryOp;
import dev.orrery.promql.ast.Cardinality;
import dev.orrery.promql.ast.VectorMatching;
import dev.orrery.promql.engine.QueryException;
import dev.orrery.promql.exec.QueryContext;
import dev.orrery.promql.exec.SeriesInfo;
import dev.orrery.promql.exec.StepVector;
import dev.orrery.promql.exec.VectorOperator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Arithmetic and comparison between two instant vectors (Prometheus' {@code VectorBinop}): samples pair up by
 * signature, one-to-one or many-to-one/one-to-many with {@code group_left}/{@code group_right}; a duplicate on the
 * "one" side, or two results for one match group, fail the query as in Prometheus. Output series are all label sets
 * any pair can produce, computed up front; {@code fill} modifiers stand in values for missing partners.
 */
public final class VectorBinaryOperator implements VectorOperator {
  private final QueryContext ctx;
  private final BinaryOp op;
  private final VectorOperator lhs;
  private final VectorOperator rhs;
  private final VectorMatching matching;
  private final boolean returnBool;
  private final ElementBinop binop;
  private List<SeriesInfo> series;
  private int[] lhsSig;
  private int[] rhsSig;
  private int sigCount;
  private List<Labels> sigKeys;
  // Per "many" series: the "one" series it can pair with and the output id of each pair, as flat int pairs.
  private int[][] pairOut;
  // Per output id: the step stamp and signature it was last produced for (duplicate detection without maps).
  private int[] stampStep;
  private int[] stampSig;
  private int stepCounter;
  // Per-step scratch, reused: signature slots and the results before they are written back.
  private int[] oneAt;
  private int[] matchedAt;
  private int[] manyAt;
  private int[] outIdsAt = new int[0];
  private double[] outVals = new double[0];
  private FloatHistogram[] outHists = new FloatHistogram[0];
  private int[] manyAloneOut;
  private int[] sigAloneOut;
  private StepVector[] rhsBuf;
  private final Map<Labels, Integer> outIds = new HashMap<>();

  /** {@code matching} is the expression's matching (never many-to-many here). */
  public VectorBinaryOperator(QueryContext ctx, BinaryOp op, VectorOperator lhs, VectorOperator rhs,
      VectorMatching matching, boolean returnBool, int position) {
    this.ctx = ctx;
    this.op = op;
    this.lhs = lhs;
    this.rhs = rhs;
    this.matching = matching;
    this.returnBool = returnBool;
    this.binop = new ElementBinop(op, ctx.annotations(), position);
  }

  private boolean swapped() {
    return matching.card() == Cardinality.ONE_TO_MANY;
  }

  /** Prometheus' {@code resultMetric}: labels of the "many" side, adjusted for matching and group modifiers. */
  private Labels resultLabels(Labels many, Labels one) {
    LabelsBuilder b = many.toBuilder();
    if (matching.card() == Cardinality.ONE_TO_ONE) {
      if (matching.on()) {
        b.keep(matching.matchingLabels().toArray(new String[0]));
      } else {
        b.delete(matching.matchingLabels().toArray(new String[0]));
      }
    }
    for (String ln : matching.include()) {
      String v = one.get(ln);
      if (!v.isEmpty()) {
        b.set(ln, v);
      } else {
        b.delete(ln);
      }
    }
    return b.build();
  }

  private int outId(Labels l, boolean drop) {
    Integer id = outIds.get(l);
    if (id == null) {
      id = series.size();
      outIds.put(l, id);
      series.add(new SeriesInfo(l, drop));
    } else if (drop && !series.get(id).dropName()) {
      series.set(id, new SeriesInfo(l, true));
    }
    return id;
  }

  @Override
  public List<SeriesInfo> series() {
    if (series != null) {
      return series;
    }
    List<SeriesInfo> many = swapped() ? rhs.series() : lhs.series();
    List<SeriesInfo> one = swapped() ? lhs.series() : rhs.series();
    Map<Labels, Integer> interned = new HashMap<>();
    sigKeys = new ArrayList<>();
    int[] manySig = Signatures.of(many, matching.on(), matching.matchingLabels(), interned, sigKeys);
    int[] oneSig = Signatures.of(one, matching.on(), matching.matchingLabels(), interned, sigKeys);
    sigCount = interned.size();
    lhsSig = swapped() ? oneSig : manySig;
    rhsSig = swapped() ? manySig : oneSig;
    series = new ArrayList<>();
    boolean drop = ElementBinop.dropsName(op) || returnBool;
    List<List<Integer>> oneBySig = new ArrayList<>(sigCount);
    for (int s = 0; s < sigCount; s++) {
      oneBySig.add(new ArrayList<>());
    }
    for (int j = 0; j < one.size(); j++) {
      oneBySig.get(oneSig[j]).add(j);
    }
    pairOut = new int[many.size()][];
    for (int i = 0; i < many.size(); i++) {
      List<Integer> partners = oneBySig.get(manySig[i]);
      int[] pairs = new int[partners.size() * 2];
      int p = 0;
      for (int j : partners) {
        Labels l = resultLabels(many.get(i).labels(), one.get(j).labels());
        pairs[p++] = j;
        pairs[p++] = outId(l, drop || many.get(i).dropName());
      }
      pairOut[i] = pairs;
    }
    // fill_right stands in for a missing "one" side, fill_left for a missing "many" side (Prometheus applies them
    // after swapping the sides of group_right, so this holds for both directions).
    if (matching.fillRight() != null) {
      manyAloneOut = new int[many.size()];
      for (int i = 0; i < many.size(); i++) {
        manyAloneOut[i] = outId(resultLabels(many.get(i).labels(), Labels.empty()), drop || many.get(i).dropName());
      }
    }
    if (matching.fillLeft() != null) {
      sigAloneOut = new int[sigCount];
      for (int s = 0; s < sigCount; s++) {
        sigAloneOut[s] = -1;
      }
      for (int j = 0; j < one.size(); j++) {
        int sig = oneSig[j];
        if (sigAloneOut[sig] < 0) {
          sigAloneOut[sig] = outId(sigKeys.get(sig), drop);
        }
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
    int rn = rhs.next(rhsBuf);
    if (rn != n) {
      throw new IllegalStateException("operands returned different step counts: " + n + " and " + rn);
    }
    if (oneAt == null) {
      oneAt = new int[sigCount];
      matchedAt = new int[sigCount];
      manyAt = new int[sigCount];
    }
    List<SeriesInfo> oneSeries = swapped() ? lhs.series() : rhs.series();
    for (int i = 0; i < n; i++) {
      StepVector l = buf[i];
      StepVector r = rhsBuf[i];
      StepVector many = swapped() ? r : l;
      StepVector one = swapped() ? l : r;
      int[] manySig = swapped() ? rhsSig : lhsSig;
      int[] oneSig = swapped() ? lhsSig : rhsSig;
      Arrays.fill(oneAt, -1);
      Arrays.fill(matchedAt, 0);
      Arrays.fill(manyAt, 0);
      for (int k = 0; k < one.size; k++) {
        int sig = oneSig[one.ids[k]];
        if (oneAt[sig] >= 0) {
          String side = swapped() ? "left" : "right";
          Labels a = oneSeries.get(one.ids[oneAt[sig]]).labels();
          Labels b = oneSeries.get(one.ids[k]).labels();
          if (a.compareTo(b) > 0) {
            Labels t = a;
            a = b;
            b = t;
          }
          throw QueryException.execution("found duplicate series for the match group " + sigKeys.get(sig)
              + " on the " + side + " hand-side of the operation: [" + a + ", " + b + "]"
              + ";many-to-many matching not allowed: matching labels must be unique on one side");
        }
        oneAt[sig] = k;
      }
      for (int k = 0; k < many.size; k++) {
        manyAt[manySig[many.ids[k]]]++;
      }
      int need = many.size + one.size;
      if (outIdsAt.length < need) {
        outIdsAt = new int[need];
        outVals = new double[need];
        outHists = new FloatHistogram[need];
      }
      int w = 0;
      boolean bothPresent = l.size > 0 && r.size > 0;
      if (stampStep == null || stampStep.length < series.size()) {
        stampStep = new int[series.size()];
        stampSig = new int[series.size()];
      }
      stepCounter++;
      for (int k = 0; k < many.size; k++) {
        int sig = manySig[many.ids[k]];
        int ok = oneAt[sig];
        double fl;
        FloatHistogram hl;
        double fr;
        FloatHistogram hr;
        int out;
        if (ok < 0) {
          if (matching.fillRight() == null) {
            continue;
          }
          double fill = matching.fillRight();
          fl = many.values[k];
          hl = many.histograms[k];
          fr = fill;
          hr = null;
          if (swapped()) {
            fr = fl;
            hr = hl;
            fl = fill;
            hl = null;
          }
          out = manyAloneOut[many.ids[k]];
        } else {
          if (!bothPresent) {
            continue;
          }
          fl = many.values[k];
          hl = many.histograms[k];
          fr = one.values[ok];
          hr = one.histograms[ok];
          if (swapped()) {
            double t = fl;
            fl = fr;
            fr = t;
            FloatHistogram th = hl;
            hl = hr;
            hr = th;
          }
          out = pairOf(many.ids[k], one.ids[ok]);
          // Prometheus checks one-to-one uniqueness before filtering, so a comparison cannot hide it.
          if (matching.card() == Cardinality.ONE_TO_ONE && matchedAt[sig]++ > 0) {
            throw QueryException.execution(
                "multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)");
          }
        }
        boolean keep = binop.apply(fl, hl, fr, hr);
        double value = binop.value;
        FloatHistogram hist = binop.histogram;
        if (returnBool) {
          if ((hl != null || hr != null) && hist == null && !keep) {
            continue;
          }
          value = keep ? 1 : 0;
          hist = null;
        } else if (!keep) {
          continue;
        }
        if (ok >= 0) {
          if (matching.card() != Cardinality.ONE_TO_ONE) {
            if (stampStep[out] == stepCounter && stampSig[out] == sig) {
              throw QueryException.execution("multiple matches for labels: grouping labels must ensure unique matches");
            }
            stampStep[out] = stepCounter;
            stampSig[out] = sig;
          }
        }
        outIdsAt[w] = out;
        outVals[w] = value;
        outHists[w++] = hist;
      }
      if (matching.fillLeft() != null) {
        double fill = matching.fillLeft();
        for (int k = 0; k < one.size; k++) {
          int sig = oneSig[one.ids[k]];
          if (manyAt[sig] > 0) {
            continue;
          }
          double fl = fill;
          FloatHistogram hl = null;
          double fr = one.values[k];
          FloatHistogram hr = one.histograms[k];
          if (swapped()) {
            fl = one.values[k];
            hl = one.histograms[k];
            fr = fill;
            hr = null;
          }
          boolean keep = binop.apply(fl, hl, fr, hr);
          double value = binop.value;
          FloatHistogram hist = binop.histogram;
          if (returnBool) {
            value = keep ? 1 : 0;
            hist = null;
          } else if (!keep) {
            continue;
          }
          outIdsAt[w] = sigAloneOut[sig];
          outVals[w] = value;
          outHists[w++] = hist;
        }
      }
      long t = l.t;
      l.reset(t);
      for (int k = 0; k < w; k++) {
        if (outHists[k] != null) {
          l.addHistogram(outIdsAt[k], outHists[k]);
        } else {
          l.add(outIdsAt[k], outVals[k]);
        }
      }
      java.util.Arrays.fill(outHists, 0, w, null);
    }
    return n;
  }

  private int pairOf(int manyId, int oneId) {
    int[] pairs = pairOut[manyId];
    for (int p = 0; p < pairs.length; p += 2) {
      if (pairs[p] == oneId) {
        return pairs[p + 1];
      }
    }
    throw new IllegalStateException("no pair for series " + manyId + " and " + oneId);
  }

  @Override
  public List<VectorOperator> children() {
    return List.of(lhs, rhs);
  }

  @Override
  public String describe() {
    return "binary " + op.symbol() + " " + matching.card();
  }
}
