package dev.orrery.promql.exec.binary;

import dev.orrery.core.histogram.FloatHistogram;
import dev.orrery.core.histogram.HistogramArithmetic;
import dev.orrery.promql.ast.BinaryOp;
import dev.orrery.promql.engine.Annotations;
import dev.orrery.promql.function.HistogramEquality;
import dev.orrery.promql.histogram.HistogramTrim;

/**
 * One binary operation on two sample values, floats or histograms (Prometheus' {@code vectorElemBinop}). The result
 * is left in the fields; {@link #apply} returns whether the sample is kept.
 */
final class ElementBinop {
  double value;
  FloatHistogram histogram;

  private final BinaryOp op;
  private final Annotations annotations;
  private final int position;

  ElementBinop(BinaryOp op, Annotations annotations, int position) {
    this.op = op;
    this.annotations = annotations;
    this.position = position;
  }

  static boolean dropsName(BinaryOp op) {
    return op.isArithmetic();
  }

  static double arithmetic(BinaryOp op, double l, double r) {
    return switch (op) {
      case ADD -> l + r;
      case SUB -> l - r;
      case MUL -> l * r;
      case DIV -> l / r;
      case POW -> Math.pow(l, r);
      case MOD -> goMod(l, r);
      case ATAN2 -> Math.atan2(l, r);
      default -> throw new IllegalStateException("not arithmetic: " + op);
    };
  }

  /** Go's {@code math.Mod}: the result has the sign of {@code x}. Java's % agrees, including NaN and Inf cases. */
  static double goMod(double x, double y) {
    return x % y;
  }

  static boolean compare(BinaryOp op, double l, double r) {
    return switch (op) {
      case EQLC -> l == r;
      case NEQ -> l != r;
      case GTR -> l > r;
      case LSS -> l < r;
      case GTE -> l >= r;
      case LTE -> l <= r;
      default -> throw new IllegalStateException("not a comparison: " + op);
    };
  }

  private boolean incompatible(String lhsType, String rhsType) {
    annotations.info("incompatible sample types encountered for binary operator \"" + op.symbol() + "\": "
        + lhsType + " " + op.symbol() + " " + rhsType, position);
    return false;
  }

  boolean apply(double fl, FloatHistogram hl, double fr, FloatHistogram hr) {
    histogram = null;
    if (op.isTrim()) {
      if (hl != null && hr == null) {
        histogram = HistogramTrim.trim(hl, fr, op == BinaryOp.TRIM_UPPER);
        return true;
      }
      return incompatible(hl != null ? "histogram" : "float", hr != null ? "histogram" : "float");
    }
    if (hl == null && hr == null) {
      if (op.isComparison()) {
        value = fl;
        return compare(op, fl, fr);
      }
      value = arithmetic(op, fl, fr);
      return true;
    }
    if (hl == null) {
      if (op == BinaryOp.MUL) {
        histogram = HistogramArithmetic.compact(HistogramArithmetic.scale(hr, fl));
        return true;
      }
      return incompatible("float", "histogram");
    }
    if (hr == null) {
      if (op == BinaryOp.MUL) {
        histogram = HistogramArithmetic.compact(HistogramArithmetic.scale(hl, fr));
        return true;
      }
      if (op == BinaryOp.DIV) {
        histogram = HistogramArithmetic.compact(HistogramArithmetic.divide(hl, fr));
        return true;
      }
      return incompatible("histogram", "float");
    }
    switch (op) {
      case ADD, SUB -> {
        HistogramArithmetic.Result r = op == BinaryOp.ADD ? HistogramArithmetic.add(hl, hr)
            : HistogramArithmetic.sub(hl, hr);
        if (r.incompatible()) {
          annotations.warn("incompatible bucket layout encountered for binary operator " + op.symbol(), position);
          return false;
        }
        String what = op == BinaryOp.ADD ? "addition" : "subtraction";
        if (r.counterResetCollision()) {
          annotations.warn("conflicting counter resets during histogram " + what, position);
        }
        if (r.customBoundsReconciled()) {
          annotations.info("mismatched custom buckets were reconciled during " + what, position);
        }
        FloatHistogram res = r.value();
        if (op == BinaryOp.SUB) {
          // The difference of two histograms is a gauge (Prometheus' FloatHistogram.Sub).
          res = HistogramArithmetic.withHint(res, dev.orrery.core.histogram.CounterResetHint.GAUGE);
        }
        histogram = HistogramArithmetic.compact(res);
        return true;
      }
      case EQLC, NEQ -> {
        histogram = hl;
        boolean eq = HistogramEquality.equal(HistogramArithmetic.compact(hl), HistogramArithmetic.compact(hr));
        return op == BinaryOp.EQLC ? eq : !eq;
      }
      default -> {
        return incompatible("histogram", "histogram");
      }
    }
  }
}
