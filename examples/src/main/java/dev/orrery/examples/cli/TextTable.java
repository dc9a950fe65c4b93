package dev.orrery.examples.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * A table of text cells printed by the command-line tools: a header row and data rows of the same width, laid out in
 * one of the {@link Style}s. Cells must not contain line breaks. Not thread-safe.
 */
final class TextTable {
  /** How {@link #print} lays a table out. */
  enum Style {
    /** Columns padded with spaces and two spaces between them (as {@code tools block inspect} prints). */
    ALIGNED,
    /** Columns between {@code |} bars with a dashed line under the header (as Thanos' {@code bucket inspect}). */
    BORDERED,
    /** Cells separated by tabs, no padding, for scripts. */
    TSV,
    /** RFC 4180 comma-separated values; a cell with a comma, quote or space is quoted. */
    CSV
  }

  private final List<String> header;
  private final List<List<String>> rows = new ArrayList<>();

  /** Starts a table with these column headers. */
  TextTable(List<String> header) {
    if (header.isEmpty()) {
      throw new IllegalArgumentException("a table needs at least one column");
    }
    this.header = List.copyOf(header);
  }

  /** Adds a data row; it must have one cell per column. */
  TextTable add(List<String> row) {
    if (row.size() != header.size()) {
      throw new IllegalArgumentException("row has " + row.size() + " cells, the table " + header.size()
          + " columns: " + row);
    }
    rows.add(List.copyOf(row));
    return this;
  }

  /** The number of data rows. */
  int size() {
    return rows.size();
  }

  /** Prints the header and every row, then flushes {@code out}. */
  void print(PrintWriter out, Style style) {
    int[] width = new int[header.size()];
    if (style == Style.ALIGNED || style == Style.BORDERED) {
      measure(header, width);
      for (List<String> row : rows) {
        measure(row, width);
      }
    }
    printRow(out, style, header, width);
    if (style == Style.BORDERED) {
      StringBuilder line = new StringBuilder("|");
      for (int w : width) {
        line.append("-".repeat(w + 2)).append('|');
      }
      out.println(line);
    }
    for (List<String> row : rows) {
      printRow(out, style, row, width);
    }
    out.flush();
  }

  private static void measure(List<String> row, int[] width) {
    for (int i = 0; i < row.size(); i++) {
      width[i] = Math.max(width[i], row.get(i).length());
    }
  }

  private static void printRow(PrintWriter out, Style style, List<String> row, int[] width) {
    StringBuilder line = new StringBuilder();
    int last = row.size() - 1;
    switch (style) {
      case ALIGNED -> {
        for (int i = 0; i <= last; i++) {
          line.append(row.get(i));
          if (i < last) {
            line.append(" ".repeat(width[i] - row.get(i).length() + 2));
          }
        }
      }
      case BORDERED -> {
        line.append('|');
        for (int i = 0; i <= last; i++) {
          line.append(' ').append(row.get(i)).append(" ".repeat(width[i] - row.get(i).length() + 1)).append('|');
        }
      }
      case TSV -> line.append(String.join("\t", row));
      case CSV -> {
        for (int i = 0; i <= last; i++) {
          line.append(csvCell(row.get(i)));
          if (i < last) {
            line.append(',');
          }
        }
      }
    }
    out.println(line);
  }

  private static String csvCell(String cell) {
    if (cell.indexOf(',') < 0 && cell.indexOf('"') < 0 && cell.indexOf(' ') < 0) {
      return cell;
    }
    return '"' + cell.replace("\"", "\"\"") + '"';
  }
}
