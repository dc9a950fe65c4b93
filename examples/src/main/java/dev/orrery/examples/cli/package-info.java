/**
 * The {@code orrery} command line (picocli): {@code orrery demo} writes and serves a multi-cluster data set,
 * {@code orrery query} serves the Prometheus HTTP API over a directory of blocks, {@code orrery tools block ...}
 * inspects, verifies and dumps blocks. Launchers own their thread pools and shutdown hooks; library code does not.
 */
package dev.orrery.examples.cli;
