/**
 * TLS and mutual TLS for StoreAPI servers and clients, with certificates, keys and CA bundles re-read from disk when
 * they change ({@link dev.orrery.storeapi.tls.GrpcTls}).
 */
@NullMarked
package dev.orrery.storeapi.tls;

import org.jspecify.annotations.NullMarked;
