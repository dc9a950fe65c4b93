package dev.orrery.core.targets;

import static java.util.Objects.requireNonNull;

import dev.orrery.core.labels.Labels;
import java.time.Instant;

/**
 * A target Prometheus scrapes.
 *
 * @param discoveredLabels the labels service discovery gave it, before relabelling
 * @param labels the labels its series get
 * @param scrapePool its scrape pool (job)
 * @param scrapeUrl the URL scraped
 * @param globalUrl the URL with the Prometheus' external host name
 * @param lastError why the last scrape failed, empty if it did not
 * @param lastScrape when it was last scraped, {@code null} before
 * @param lastScrapeDurationSeconds how long that took
 * @param health {@code up}, {@code down} or {@code unknown}
 */
public record ActiveTarget(Labels discoveredLabels, Labels labels, String scrapePool, String scrapeUrl,
    String globalUrl, String lastError, Instant lastScrape, double lastScrapeDurationSeconds, String health) {
  /** Checks that no required field is null. */
  public ActiveTarget {
    requireNonNull(discoveredLabels, "discoveredLabels is null");
    requireNonNull(labels, "labels is null");
    requireNonNull(scrapePool, "scrapePool is null");
    requireNonNull(scrapeUrl, "scrapeUrl is null");
    requireNonNull(globalUrl, "globalUrl is null");
    requireNonNull(lastError, "lastError is null");
    requireNonNull(health, "health is null");
  }

  /** The same target with other labels. */
  ActiveTarget withLabels(Labels newDiscovered, Labels newLabels) {
    return new ActiveTarget(newDiscovered, newLabels, scrapePool, scrapeUrl, globalUrl, lastError, lastScrape,
        lastScrapeDurationSeconds, health);
  }
}
