/**
 * Prometheus' write-ahead log: numbered segment files of 32 KiB pages holding CRC-checked, optionally
 * snappy-compressed records ({@link dev.orrery.core.wal.WalWriter}, {@link dev.orrery.core.wal.WalReader}), the series
 * and float sample records of the TSDB head ({@link dev.orrery.core.wal.WalRecords}), and checkpoints that let old
 * segments go ({@link dev.orrery.core.wal.WalCheckpoint}). A directory written here is one Prometheus replays, and the
 * reader replays Prometheus' own.
 */
package dev.orrery.core.wal;
