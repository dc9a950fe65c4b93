package dev.orrery.storeapi.tls;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A trust manager over a PEM CA bundle that re-reads the file when its modification time changes (checked at most
 * once a second, during handshakes). A reload that fails keeps the previous CAs and logs why. Thread-safe.
 */
final class ReloadingTrustManager extends X509ExtendedTrustManager {
  private static final Logger LOG = LoggerFactory.getLogger(ReloadingTrustManager.class);
  private static final long CHECK_NANOS = 1_000_000_000L;

  private final Path caFile;
  private final ReentrantLock lock = new ReentrantLock();
  private volatile X509ExtendedTrustManager delegate;
  private volatile long lastCheck;
  private long modified;

  ReloadingTrustManager(Path caFile) throws IOException {
    this.caFile = caFile;
    this.modified = modified(caFile);
    this.delegate = load();
    this.lastCheck = System.nanoTime();
  }

  private static long modified(Path p) throws IOException {
    return Files.getLastModifiedTime(p).toMillis() ^ Files.size(p) << 40;
  }

  private X509ExtendedTrustManager load() throws IOException {
    List<X509Certificate> cas = PemFiles.certificates(caFile);
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      for (int i = 0; i < cas.size(); i++) {
        ks.setCertificateEntry("ca" + i, cas.get(i));
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ks);
      for (TrustManager tm : tmf.getTrustManagers()) {
        if (tm instanceof X509ExtendedTrustManager x) {
          return x;
        }
      }
      throw new IOException("no X.509 trust manager for " + caFile);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot use CA bundle " + caFile + ": " + e.getMessage(), e);
    }
  }

  private X509ExtendedTrustManager current() {
    long now = System.nanoTime();
    if (now - lastCheck < CHECK_NANOS || !lock.tryLock()) {
      return delegate;
    }
    try {
      lastCheck = now;
      long m = modified(caFile);
      if (m != modified) {
        delegate = load();
        modified = m;
        LOG.info("reloaded TLS CA bundle {}", caFile);
      }
    } catch (IOException e) {
      LOG.warn("keeping the previous CAs: reloading {} failed: {}", caFile, e.toString());
    } finally {
      lock.unlock();
    }
    return delegate;
  }

  /** Forces the next handshake to check the file (for tests). */
  void checkNow() {
    lastCheck = System.nanoTime() - CHECK_NANOS - 1;
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    current().checkClientTrusted(chain, authType, socket);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    current().checkServerTrusted(chain, authType, socket);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    current().checkClientTrusted(chain, authType, engine);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    current().checkServerTrusted(chain, authType, engine);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    current().checkClientTrusted(chain, authType);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    current().checkServerTrusted(chain, authType);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return current().getAcceptedIssuers();
  }
}
