/**
 * Replica deduplication shared by the querier and the compactor (FORMATS.md 9): Thanos' penalty merge of replica
 * sample iterators with the optional counter adjustment, and the split of a series' chunk list into non-overlapping
 * "virtual replicas".
 */
package dev.orrery.core.dedup;
