package dev.orrery.storeapi.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A key manager over a PEM certificate chain and private key that re-reads both files when either file's
 * modification time changes (checked at most once a second, during handshakes), so rotated certificates take effect
 * without a restart. A reload that fails keeps the previous key pair and logs why. As a client it always presents its
 * certificate, whatever CA names the server lists (as Go's TLS client does): a server's list may be stale after its
 * CA bundle was rotated, and the server decides anyway. Thread-safe.
 */
final class ReloadingKeyManager extends X509ExtendedKeyManager {
  private static final Logger LOG = LoggerFactory.getLogger(ReloadingKeyManager.class);
  private static final long CHECK_NANOS = 1_000_000_000L;

  private final Path certFile;
  private final Path keyFile;
  private final ReentrantLock lock = new ReentrantLock();
  private volatile X509ExtendedKeyManager delegate;
  private volatile long lastCheck;
  private long certModified;
  private long keyModified;

  ReloadingKeyManager(Path certFile, Path keyFile) throws IOException {
    this.certFile = certFile;
    this.keyFile = keyFile;
    this.certModified = modified(certFile);
    this.keyModified = modified(keyFile);
    this.delegate = load();
    this.lastCheck = System.nanoTime();
  }

  private X509ExtendedKeyManager load() throws IOException {
    List<X509Certificate> chain = PemFiles.certificates(certFile);
    PrivateKey key = PemFiles.privateKey(keyFile);
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry("key", key, new char[0], chain.toArray(new X509Certificate[0]));
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, new char[0]);
      return (X509ExtendedKeyManager) kmf.getKeyManagers()[0];
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot use key pair " + certFile + " / " + keyFile + ": " + e.getMessage(), e);
    }
  }

  private static long modified(Path p) throws IOException {
    return Files.getLastModifiedTime(p).toMillis() ^ Files.size(p) << 40;
  }

  private X509ExtendedKeyManager current() {
    long now = System.nanoTime();
    if (now - lastCheck < CHECK_NANOS || !lock.tryLock()) {
      return delegate;
    }
    try {
      lastCheck = now;
      long c = modified(certFile);
      long k = modified(keyFile);
      if (c != certModified || k != keyModified) {
        delegate = load();
        certModified = c;
        keyModified = k;
        LOG.info("reloaded TLS certificate {} and key {}", certFile, keyFile);
      }
    } catch (IOException | UncheckedIOException e) {
      LOG.warn("keeping the previous TLS key pair: reloading {} failed: {}", certFile, e.toString());
    } finally {
      lock.unlock();
    }
    return delegate;
  }

  /** Forces the next handshake to check the files (for tests). */
  void checkNow() {
    lastCheck = System.nanoTime() - CHECK_NANOS - 1;
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return current().getClientAliases(keyType, issuers);
  }

  @Override
  public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
    return current().chooseClientAlias(keyType, null, socket);
  }

  @Override
  public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
    return current().chooseEngineClientAlias(keyType, null, engine);
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return current().getServerAliases(keyType, issuers);
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return current().chooseServerAlias(keyType, issuers, socket);
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return current().chooseEngineServerAlias(keyType, issuers, engine);
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    return delegate.getCertificateChain(alias);
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    return delegate.getPrivateKey(alias);
  }
}
