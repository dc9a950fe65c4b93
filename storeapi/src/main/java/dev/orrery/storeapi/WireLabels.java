package dev.orrery.storeapi;

import dev.orrery.core.OrreryException;
import dev.orrery.core.OrreryException.ErrorCode;
import dev.orrery.core.labels.Labels;
import dev.orrery.core.labels.LabelsBuilder;
import dev.orrery.core.labels.MatchType;
import dev.orrery.core.labels.Matcher;
import dev.orrery.storeapi.proto.thanos.Label;
import dev.orrery.storeapi.proto.thanos.LabelMatcher;
import dev.orrery.storeapi.proto.thanos.LabelSet;
import dev.orrery.storeapi.proto.thanos.ZLabelSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Conversions between StoreAPI wire labels and matchers and {@code core}'s {@link Labels} and {@link Matcher}. */
public final class WireLabels {
  private WireLabels() {}

  /** Core labels from wire labels (any order; empty values dropped). */
  public static Labels toLabels(List<Label> labels) {
    LabelsBuilder b = new LabelsBuilder();
    for (Label l : labels) {
      b.set(l.getName(), l.getValue());
    }
    return b.build();
  }

  /** Core labels from a label map. */
  public static Labels toLabels(Map<String, String> labels) {
    return Labels.of(labels);
  }

  /** Appends {@code labels} as wire labels to {@code out}, in order. */
  public static void addTo(Labels labels, List<Label> out) {
    for (int i = 0; i < labels.size(); i++) {
      out.add(Label.newBuilder().setName(labels.name(i)).setValue(labels.value(i)).build());
    }
  }

  /** The wire form of {@code labels}. */
  public static ZLabelSet toLabelSet(Labels labels) {
    List<Label> out = new ArrayList<>(labels.size());
    addTo(labels, out);
    return ZLabelSet.newBuilder().addAllLabels(out).build();
  }

  /** The wire form of {@code labels} as the rules and exemplars APIs carry it ({@code LabelSet}, same bytes). */
  public static LabelSet toPlainLabelSet(Labels labels) {
    List<Label> out = new ArrayList<>(labels.size());
    addTo(labels, out);
    return LabelSet.newBuilder().addAllLabels(out).build();
  }

  /**
   * Core matchers from wire matchers.
   *
   * @throws OrreryException with {@code BAD_QUERY} for an invalid regex or an unknown type
   */
  public static Matcher[] toMatchers(List<LabelMatcher> matchers) {
    Matcher[] out = new Matcher[matchers.size()];
    for (int i = 0; i < out.length; i++) {
      LabelMatcher m = matchers.get(i);
      MatchType type = switch (m.getTypeValue()) {
        case 0 -> MatchType.EQUAL;
        case 1 -> MatchType.NOT_EQUAL;
        case 2 -> MatchType.REGEX;
        case 3 -> MatchType.NOT_REGEX;
        default -> throw new OrreryException(ErrorCode.BAD_QUERY, "unknown label matcher type " + m.getTypeValue()
            + " for label " + m.getName());
      };
      try {
        out[i] = Matcher.of(type, m.getName(), m.getValue());
      } catch (IllegalArgumentException e) {
        throw new OrreryException(ErrorCode.BAD_QUERY, "invalid matcher " + m.getName() + type.symbol() + "\""
            + m.getValue() + "\": " + e.getMessage(), e);
      }
    }
    return out;
  }

  /** The wire form of a core matcher. */
  public static LabelMatcher toWire(Matcher m) {
    LabelMatcher.Type type = switch (m.type()) {
      case EQUAL -> LabelMatcher.Type.EQ;
      case NOT_EQUAL -> LabelMatcher.Type.NEQ;
      case REGEX -> LabelMatcher.Type.RE;
      case NOT_REGEX -> LabelMatcher.Type.NRE;
    };
    return LabelMatcher.newBuilder().setType(type).setName(m.name()).setValue(m.value()).build();
  }

  /**
   * The matchers a store with external labels {@code ext} must apply itself: those on other labels. Returns {@code
   * null} when a matcher on an external label rejects its value, so the store holds no matching series.
   */
  public static Matcher @Nullable [] localMatchers(Labels ext, Matcher[] matchers) {
    List<Matcher> local = new ArrayList<>();
    for (Matcher m : matchers) {
      if (ext.has(m.name())) {
        if (!m.matches(ext.get(m.name()))) {
          return null;
        }
      } else {
        local.add(m);
      }
    }
    return local.toArray(new Matcher[0]);
  }
}
