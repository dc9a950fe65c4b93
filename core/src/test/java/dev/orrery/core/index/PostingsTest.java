package dev.orrery.core.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orrery.core.testing.Generators;
import dev.orrery.core.testing.Properties;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class PostingsTest {

  // ---- naive set operations are the oracle ----

  @Test
  void intersectAgreesWithNaiveSetIntersection() {
    Properties.check("intersectAgreesWithNaiveSetIntersection", 300, random -> {
      List<TreeSet<Long>> lists = refLists(random);
      int kind = kind(random);
      TreeSet<Long> expected = new TreeSet<>(lists.get(0));
      for (TreeSet<Long> l : lists) {
        expected.retainAll(l);
      }
      assertThat(Postings.expand(Postings.intersect(cursors(lists, kind)))).containsExactly(toArray(expected));
    });
  }

  @Test
  void mergeAgreesWithNaiveSetUnion() {
    Properties.check("mergeAgreesWithNaiveSetUnion", 300, random -> {
      List<TreeSet<Long>> lists = refLists(random);
      int kind = kind(random);
      TreeSet<Long> expected = new TreeSet<>();
      lists.forEach(expected::addAll);
      assertThat(Postings.expand(Postings.merge(cursors(lists, kind)))).containsExactly(toArray(expected));
    });
  }

  @Test
  void withoutAgreesWithNaiveSetDifference() {
    Properties.check("withoutAgreesWithNaiveSetDifference", 300, random -> {
      TreeSet<Long> full = refSet(random);
      TreeSet<Long> drop = refSet(random);
      int kind = kind(random);
      TreeSet<Long> expected = new TreeSet<>(full);
      expected.removeAll(drop);
      Postings p = Postings.without(cursor(full, kind), cursor(drop, kind + 1));
      assertThat(Postings.expand(p)).containsExactly(toArray(expected));
    });
  }

  @Test
  void nestedOperationsAgreeWithNaiveSets() {
    Properties.check("nestedOperationsAgreeWithNaiveSets", 200, random -> {
      List<TreeSet<Long>> lists = refLists(random);
      TreeSet<Long> drop = refSet(random);
      // (l0 ∩ l1) ∪ (l2 \ drop) ∪ ... exercised through the seek paths of every operator.
      TreeSet<Long> inter = new TreeSet<>(lists.get(0));
      if (lists.size() > 1) {
        inter.retainAll(lists.get(1));
      }
      TreeSet<Long> expected = new TreeSet<>(inter);
      List<Postings> parts = new ArrayList<>();
      parts.add(lists.size() > 1 ? Postings.intersect(cursor(lists.get(0), 0), cursor(lists.get(1), 1))
          : cursor(lists.get(0), 2));
      for (int i = 2; i < lists.size(); i++) {
        TreeSet<Long> d = new TreeSet<>(lists.get(i));
        d.removeAll(drop);
        expected.addAll(d);
        parts.add(Postings.without(cursor(lists.get(i), i), cursor(drop, i + 1)));
      }
      TreeSet<Long> outer = new TreeSet<>(expected);
      outer.retainAll(union(lists));
      Postings p = Postings.intersect(Postings.merge(parts), Postings.merge(cursors(lists, 3)));
      assertThat(Postings.expand(p)).containsExactly(toArray(outer));
    });
  }

  @Test
  void seekLandsOnFirstRefAtOrAfterTarget() {
    Properties.check("seekLandsOnFirstRefAtOrAfterTarget", 300, random -> {
      List<TreeSet<Long>> lists = refLists(random);
      int kind = kind(random);
      List<Integer> targets = Generators.listOf(random, 0, 20, r -> Generators.intBetween(r, 0, 600));
      // Each operator and list kind against a reference sequence: interleave seeks and nexts.
      TreeSet<Long> union = union(lists);
      TreeSet<Long> inter = new TreeSet<>(lists.get(0));
      lists.forEach(inter::retainAll);
      checkSeeks(Postings.merge(cursors(lists, kind)), union, targets);
      checkSeeks(Postings.intersect(cursors(lists, kind)), inter, targets);
      TreeSet<Long> diff = new TreeSet<>(lists.get(0));
      for (int i = 1; i < lists.size(); i++) {
        diff.removeAll(lists.get(i));
      }
      Postings without = cursor(lists.get(0), kind);
      for (int i = 1; i < lists.size(); i++) {
        without = Postings.without(without, cursor(lists.get(i), kind + i));
      }
      checkSeeks(without, diff, targets);
      checkSeeks(cursor(lists.get(0), kind), lists.get(0), targets);
    });
  }

  private static void checkSeeks(Postings p, TreeSet<Long> expected, List<Integer> targets) {
    long last = -1;
    boolean exhausted = false;
    for (int i = 0; i < targets.size(); i++) {
      int t = targets.get(i);
      Long want;
      boolean got;
      if (i % 3 == 2) {
        want = last < 0 && !exhausted ? (expected.isEmpty() ? null : expected.first()) : expected.higher(last);
        got = p.next();
      } else {
        long from = Math.max(t, last < 0 ? 0 : last);
        want = expected.ceiling(from);
        got = p.seek(t);
      }
      if (exhausted) {
        assertThat(got).isFalse();
        continue;
      }
      assertThat(got).as("step %d target %d", i, t).isEqualTo(want != null);
      if (want == null) {
        exhausted = true;
      } else {
        assertThat(p.at()).isEqualTo(want);
        last = want;
      }
    }
  }

  // ---- examples ----

  @Test
  void emptyIsANullObject() {
    Postings e = Postings.empty();
    assertThat(e.next()).isFalse();
    assertThat(e.seek(0)).isFalse();
    assertThat(Postings.intersect()).isSameAs(e);
    assertThat(Postings.merge()).isSameAs(e);
    assertThat(Postings.intersect(Postings.of(1, 2), e)).isSameAs(e);
    assertThat(Postings.without(e, Postings.of(1))).isSameAs(e);
    assertThatThrownBy(e::at).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void seekDoesNotMoveBackwards() {
    Postings p = Postings.of(2, 4, 6, 8);
    assertThat(p.seek(5)).isTrue();
    assertThat(p.at()).isEqualTo(6);
    assertThat(p.seek(3)).isTrue();
    assertThat(p.at()).isEqualTo(6);
    assertThat(p.next()).isTrue();
    assertThat(p.at()).isEqualTo(8);
    assertThat(p.seek(9)).isFalse();
    assertThat(p.next()).isFalse();
    assertThat(p.seek(0)).isFalse();
  }

  @Test
  void seekPastEndReturnsFalse() {
    assertThat(Postings.of(1, 2, 3).seek(4)).isFalse();
  }

  @Test
  void unsignedIntRefsAboveTwoToTheThirtyOneStayPositive() {
    int[] refs = {1, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF};
    assertThat(Postings.expand(Postings.ofUnsignedInts(refs, 0, refs.length)))
        .containsExactly(1L, 0x7FFFFFFFL, 0x80000000L, 0xFFFFFFFFL);
    Postings p = Postings.ofUnsignedInts(refs, 0, refs.length);
    assertThat(p.seek(0x80000001L)).isTrue();
    assertThat(p.at()).isEqualTo(0xFFFFFFFFL);
    ByteBuffer buf = ByteBuffer.allocate(16);
    for (int r : refs) {
      buf.putInt(r);
    }
    Postings be = Postings.bigEndian(buf, 0, 4);
    assertThat(be.seek(0x80000000L)).isTrue();
    assertThat(be.at()).isEqualTo(0x80000000L);
  }

  @Test
  void bigEndianViewReadsFromOffsetWithoutTouchingPosition() {
    ByteBuffer buf = ByteBuffer.allocate(4 + 12);
    buf.putInt(99).putInt(3).putInt(7).putInt(11);
    buf.position(5);
    assertThat(Postings.expand(Postings.bigEndian(buf, 4, 3))).containsExactly(3L, 7L, 11L);
    assertThat(buf.position()).isEqualTo(5);
    assertThatThrownBy(() -> Postings.bigEndian(buf, 8, 3)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void kWayMergeOfManyListsMatchesOracle() {
    Random rnd = new Random(7);
    List<TreeSet<Long>> lists = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      TreeSet<Long> s = new TreeSet<>();
      for (int j = 0; j < 50; j++) {
        s.add((long) rnd.nextInt(10_000));
      }
      lists.add(s);
    }
    assertThat(Postings.expand(Postings.merge(cursors(lists, 0)))).containsExactly(toArray(union(lists)));
  }

  // ---- generators and plumbing ----

  private static TreeSet<Long> refSet(SplittableRandom random) {
    // Small ranges make overlaps likely; the occasional dense or large list exercises galloping.
    return random.nextBoolean() ? Generators.sortedLongSet(random, 60, 0, 64)
        : Generators.sortedLongSet(random, 200, 0, 500);
  }

  private static List<TreeSet<Long>> refLists(SplittableRandom random) {
    return Generators.listOf(random, 1, 7, PostingsTest::refSet);
  }

  private static int kind(SplittableRandom random) {
    return random.nextInt(3);
  }

  private static List<Postings> cursors(List<TreeSet<Long>> lists, int kind) {
    List<Postings> out = new ArrayList<>();
    for (int i = 0; i < lists.size(); i++) {
      out.add(cursor(lists.get(i), kind + i));
    }
    return out;
  }

  /** One of the three list implementations, chosen by {@code kind}. */
  static Postings cursor(TreeSet<Long> refs, int kind) {
    long[] a = toArray(refs);
    switch (kind % 3) {
      case 0 -> {
        return Postings.of(a);
      }
      case 1 -> {
        int[] ints = new int[a.length + 2];
        for (int i = 0; i < a.length; i++) {
          ints[i + 1] = (int) a[i];
        }
        return Postings.ofUnsignedInts(ints, 1, a.length + 1);
      }
      default -> {
        ByteBuffer buf = ByteBuffer.allocate(8 + a.length * 4);
        buf.putInt(0).putInt(a.length);
        for (long r : a) {
          buf.putInt((int) r);
        }
        return Postings.bigEndian(buf, 8, a.length);
      }
    }
  }

  private static TreeSet<Long> union(List<TreeSet<Long>> lists) {
    TreeSet<Long> u = new TreeSet<>();
    lists.forEach(u::addAll);
    return u;
  }

  static long[] toArray(TreeSet<Long> s) {
    long[] a = new long[s.size()];
    int i = 0;
    for (long v : s) {
      a[i++] = v;
    }
    return a;
  }
}
