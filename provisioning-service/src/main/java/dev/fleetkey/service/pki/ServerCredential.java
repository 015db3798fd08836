package dev.fleetkey.service.pki;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

import org.bouncycastle.openssl.jcajce.JcaPEMWriter;

/**
 * A DTLS server's key and certificate chain, exportable for the operator's servers.
 *
 * @param privateKey the server's key (never printed)
 * @param chain      leaf first, then the server issuing CA; no root
 */
public record ServerCredential(PrivateKey privateKey, List<X509Certificate> chain) {

    public ServerCredential {
        Objects.requireNonNull(privateKey, "privateKey");
        chain = List.copyOf(chain);
    }

    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** The chain as PEM, leaf first, as most DTLS servers read it. */
    public String certificateChainPem() {
        return pem(chain.toArray());
    }

    /** The private key as an unencrypted PKCS#8 PEM ({@code PRIVATE KEY}); protect the file it goes to. */
    public String privateKeyPem() {
        return pkcs8Pem(privateKey);
    }

    /** Key and chain as a PKCS#12 file under {@code alias}, protected by {@code passphrase}. */
    public byte[] toPkcs12(String alias, char[] passphrase) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(alias, privateKey, passphrase, chain.toArray(new Certificate[0]));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            store.store(out, passphrase);
            return out.toByteArray();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("Cannot write the server credential as PKCS#12", e);
        }
    }

    static String pkcs8Pem(PrivateKey key) {
        try {
            return pem(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key, null));
        } catch (org.bouncycastle.util.io.pem.PemGenerationException e) {
            throw new IllegalStateException("Cannot write the private key as PKCS#8", e);
        }
    }

    static String pem(Object... objects) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            for (Object o : objects) {
                writer.writeObject(o);
            }
        } catch (IOException e) {
            throw new IllegalStateException("Cannot write PEM", e);
        }
        return text.toString();
    }

    @Override
    public String toString() {
        return "ServerCredential[subject=" + certificate().getSubjectX500Principal().getName()
                + ", privateKey=<hidden>]";
    }
}
