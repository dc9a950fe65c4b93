/**
 * The StoreAPI over any {@code core} {@link dev.orrery.core.storage.Queryable}: {@link
 * dev.orrery.storeapi.local.QueryableStore} lets a ruler, or an application over its own data, be an endpoint that
 * queriers fan out to.
 */
@NullMarked
package dev.orrery.storeapi.local;

import org.jspecify.annotations.NullMarked;
