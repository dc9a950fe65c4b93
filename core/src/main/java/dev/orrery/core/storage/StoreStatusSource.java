package dev.orrery.core.storage;

import java.util.List;

/** The store endpoints of a querier and their health, for Thanos' {@code /api/v1/stores}. Thread-safe. */
@FunctionalInterface
public interface StoreStatusSource {
  /** A querier without endpoints (one over local blocks). */
  StoreStatusSource NONE = List::of;

  /** Every endpoint whose {@code Info} has answered at least once, in the order they are configured. */
  List<StoreStatus> storeStatuses();
}
