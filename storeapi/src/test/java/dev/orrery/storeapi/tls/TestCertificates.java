package dev.orrery.storeapi.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Generates a CA and certificates signed by it at test time (BouncyCastle), written as PEM files. */
public final class TestCertificates {
  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

  /** A CA that can sign certificates. */
  public record Ca(String name, KeyPair keys, X509Certificate cert, Path certFile) {}

  /** A certificate with its key, as files. */
  public record Issued(Path certFile, Path keyFile) {}

  private TestCertificates() {}

  static KeyPair keyPair() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(256);
    return g.generateKeyPair();
  }

  /** A self-signed CA written to {@code dir/<name>-ca.pem}. */
  public static Ca ca(Path dir, String name) throws Exception {
    KeyPair keys = keyPair();
    X500Name subject = new X500Name("CN=" + name);
    JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, BigInteger.valueOf(SERIAL
        .incrementAndGet()), new Date(System.currentTimeMillis() - 60_000), new Date(System.currentTimeMillis()
        + 86_400_000L), subject, keys.getPublic());
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    X509Certificate cert = new JcaX509CertificateConverter().getCertificate(b.build(
        new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
    Path file = dir.resolve(name + "-ca.pem");
    write(file, cert);
    return new Ca(name, keys, cert, file);
  }

  /** A leaf certificate for {@code cn} valid for 127.0.0.1 and localhost, signed by {@code ca}. */
  public static Issued issue(Ca ca, Path dir, String cn) throws Exception {
    KeyPair keys = keyPair();
    JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(ca.cert(), BigInteger.valueOf(SERIAL
        .incrementAndGet()), new Date(System.currentTimeMillis() - 60_000), new Date(System.currentTimeMillis()
        + 86_400_000L), new X500Name("CN=" + cn), keys.getPublic());
    b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
        new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")}));
    X509Certificate cert = new JcaX509CertificateConverter().getCertificate(b.build(
        new JcaContentSignerBuilder("SHA256withECDSA").build(ca.keys().getPrivate())));
    Path certFile = dir.resolve(cn + ".pem");
    Path keyFile = dir.resolve(cn + "-key.pem");
    write(certFile, cert);
    write(keyFile, new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(keys.getPrivate(), null));
    return new Issued(certFile, keyFile);
  }

  private static void write(Path file, Object pemObject) throws IOException {
    StringWriter s = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(s)) {
      w.writeObject(pemObject);
    }
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, s.toString());
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }
}
