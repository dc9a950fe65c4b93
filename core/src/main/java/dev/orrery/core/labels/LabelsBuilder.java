package dev.orrery.core.labels;

import java.util.Arrays;

/**
 * Builds {@link Labels}: set and delete labels in any order, then {@link #build()}. Reusable after {@link #reset()},
 * which keeps its arrays (Prometheus' {@code ScratchBuilder}). Setting an empty value deletes the label. Confined to
 * one thread.
 */
public final class LabelsBuilder {
  private String[] names = new String[8];
  private String[] values = new String[8];
  private int size;

  /** An empty builder. */
  public LabelsBuilder() {}

  /** A builder holding {@code base}. */
  public LabelsBuilder(Labels base) {
    reset(base);
  }

  /** Forgets every label. */
  public LabelsBuilder reset() {
    Arrays.fill(names, 0, size, null);
    Arrays.fill(values, 0, size, null);
    size = 0;
    return this;
  }

  /** Replaces the content with {@code base}. */
  public LabelsBuilder reset(Labels base) {
    reset();
    for (int i = 0; i < base.size(); i++) {
      set(base.name(i), base.value(i));
    }
    return this;
  }

  /** Value of {@code name}, or {@code null} when absent. */
  public String get(String name) {
    for (int i = 0; i < size; i++) {
      if (names[i].equals(name)) {
        return values[i];
      }
    }
    return null;
  }

  /** Sets {@code name} to {@code value}; an empty value deletes the label. */
  public LabelsBuilder set(String name, String value) {
    if (value.isEmpty()) {
      return delete(name);
    }
    for (int i = 0; i < size; i++) {
      if (names[i].equals(name)) {
        values[i] = value;
        return this;
      }
    }
    if (size == names.length) {
      names = Arrays.copyOf(names, size * 2);
      values = Arrays.copyOf(values, size * 2);
    }
    names[size] = name;
    values[size] = value;
    size++;
    return this;
  }

  /** Removes the labels named in {@code namesToDelete}. */
  public LabelsBuilder delete(String... namesToDelete) {
    for (String name : namesToDelete) {
      for (int i = 0; i < size; i++) {
        if (names[i].equals(name)) {
          size--;
          names[i] = names[size];
          values[i] = values[size];
          names[size] = null;
          values[size] = null;
          break;
        }
      }
    }
    return this;
  }

  /** Keeps only the labels named in {@code namesToKeep}. */
  public LabelsBuilder keep(String... namesToKeep) {
    for (int i = size - 1; i >= 0; i--) {
      boolean keep = false;
      for (String k : namesToKeep) {
        if (names[i].equals(k)) {
          keep = true;
          break;
        }
      }
      if (!keep) {
        delete(names[i]);
      }
    }
    return this;
  }

  /** The sorted, immutable label set. */
  public Labels build() {
    String[] pairs = new String[size * 2];
    // Insertion sort: label sets are small, and this allocates nothing but the result.
    for (int i = 0; i < size; i++) {
      String n = names[i];
      String v = values[i];
      int j = i - 1;
      while (j >= 0 && Utf8Order.compare(pairs[2 * j], n) > 0) {
        pairs[2 * j + 2] = pairs[2 * j];
        pairs[2 * j + 3] = pairs[2 * j + 1];
        j--;
      }
      pairs[2 * j + 2] = n;
      pairs[2 * j + 3] = v;
    }
    return Labels.ofSortedPairs(pairs);
  }
}
