package dev.orrery.promql.engine;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The info and warning annotations of one query, deduplicated and in the order they were first raised. Mutable while
 * the query runs (thread-safe, as concurrent operators may raise them), then handed out as an immutable snapshot
 * through {@link #snapshot()}.
 */
public final class Annotations {
  private static final Annotations EMPTY = new Annotations(new LinkedHashSet<>(), true);

  private final Set<Annotation> items;
  private final boolean frozen;

  private Annotations(Set<Annotation> items, boolean frozen) {
    this.items = items;
    this.frozen = frozen;
  }

  /** A new, empty, mutable collection. */
  public static Annotations create() {
    return new Annotations(new LinkedHashSet<>(), false);
  }

  /** The empty, immutable collection. */
  public static Annotations empty() {
    return EMPTY;
  }

  /** Adds a warning about the expression at {@code position} (-1 when unknown). */
  public void warn(String message, int position) {
    add(new Annotation(Annotation.Severity.WARNING, message, position));
  }

  /** Adds an info annotation about the expression at {@code position} (-1 when unknown). */
  public void info(String message, int position) {
    add(new Annotation(Annotation.Severity.INFO, message, position));
  }

  /** Adds {@code annotation} unless it is already present. */
  public synchronized void add(Annotation annotation) {
    if (frozen) {
      throw new IllegalStateException("annotations are frozen");
    }
    items.add(annotation);
  }

  /** Adds all of {@code other}. */
  public synchronized void addAll(Annotations other) {
    for (Annotation a : other.items) {
      add(a);
    }
  }

  /** All annotations, warnings and infos mixed, in the order raised. */
  public synchronized List<Annotation> all() {
    return List.copyOf(items);
  }

  /** True when nothing was raised. */
  public synchronized boolean isEmpty() {
    return items.isEmpty();
  }

  /** The warnings rendered for the HTTP API against {@code query} (see {@link Annotation#render(String)}). */
  public List<String> warnings(String query) {
    List<String> out = rendered(Annotation.Severity.STORAGE_WARNING, query);
    out.addAll(rendered(Annotation.Severity.WARNING, query));
    return out;
  }

  /** The infos rendered for the HTTP API against {@code query}. */
  public List<String> infos(String query) {
    return rendered(Annotation.Severity.INFO, query);
  }

  private synchronized List<String> rendered(Annotation.Severity severity, String query) {
    List<String> out = new ArrayList<>();
    for (Annotation a : items) {
      if (a.severity() == severity) {
        out.add(a.render(query));
      }
    }
    return out;
  }

  /** An immutable copy. */
  public synchronized Annotations snapshot() {
    return items.isEmpty() ? EMPTY : new Annotations(new LinkedHashSet<>(items), true);
  }
}
