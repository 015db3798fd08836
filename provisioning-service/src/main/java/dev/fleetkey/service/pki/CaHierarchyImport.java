package dev.fleetkey.service.pki;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;

/**
 * An existing CA hierarchy to import: the root certificate (its key optional, it may stay offline) and the
 * device and server issuing CAs with their keys. The constructor checks that the pieces belong together.
 *
 * @param root     self-signed root CA certificate
 * @param rootKey  the root's key, or {@code null} when it stays offline
 * @param deviceCa device issuing CA, chain = [its certificate, root]
 * @param serverCa server issuing CA, chain = [its certificate, root]
 */
public record CaHierarchyImport(X509Certificate root, PrivateKey rootKey, IssuingCa deviceCa, IssuingCa serverCa) {

    @Override
    public String toString() {
        return "CaHierarchyImport[root=" + root.getSubjectX500Principal().getName() + ", keys=<hidden>]";
    }

    /**
     * Reads PEM text: the root certificate (plus optionally its key), and for each issuing CA its
     * certificate and its private key (PKCS#8, encrypted PKCS#8 or SEC1 "EC PRIVATE KEY").
     *
     * @param keyPassphrase opens encrypted keys; may be {@code null} if none is encrypted
     */
    public static CaHierarchyImport fromPem(String rootPem, String deviceCaPem, String serverCaPem,
            char[] keyPassphrase) throws CaImportException {
        PemContents root = PemContents.read("root CA", rootPem, keyPassphrase);
        PemContents device = PemContents.read("device CA", deviceCaPem, keyPassphrase);
        PemContents server = PemContents.read("server CA", serverCaPem, keyPassphrase);
        X509Certificate rootCert = root.singleCertificate();
        return validated(rootCert, root.key,
                new IssuingCa(device.requireKey(), List.of(device.singleCertificate(), rootCert)),
                new IssuingCa(server.requireKey(), List.of(server.singleCertificate(), rootCert)));
    }

    /**
     * Reads a PKCS#12 file whose {@code deviceCaAlias} and {@code serverCaAlias} key entries each carry the
     * chain up to the root. The root key is taken if the file holds a key entry for the root certificate.
     */
    public static CaHierarchyImport fromPkcs12(byte[] pkcs12, char[] passphrase, String deviceCaAlias,
            String serverCaAlias) throws CaImportException {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(new ByteArrayInputStream(pkcs12), passphrase);
            IssuingCa device = entry(store, deviceCaAlias, passphrase);
            IssuingCa server = entry(store, serverCaAlias, passphrase);
            X509Certificate root = device.root();
            PrivateKey rootKey = null;
            for (String alias : Collections.list(store.aliases())) {
                Certificate[] chain = store.getCertificateChain(alias);
                if (store.isKeyEntry(alias) && chain != null && chain[0].equals(root)) {
                    rootKey = (PrivateKey) store.getKey(alias, passphrase);
                }
            }
            return validated(root, rootKey, device, server);
        } catch (IOException | GeneralSecurityException e) {
            throw new CaImportException("Cannot read the PKCS#12 file: " + e.getMessage()
                    + " (check the file and its passphrase)", e);
        }
    }

    private static IssuingCa entry(KeyStore store, String alias, char[] passphrase)
            throws GeneralSecurityException, CaImportException {
        if (!store.isKeyEntry(alias)) {
            throw new CaImportException("The PKCS#12 file has no key entry '" + alias + "'; its entries are "
                    + Collections.list(store.aliases()));
        }
        Certificate[] chain = store.getCertificateChain(alias);
        if (chain == null || chain.length < 2) {
            throw new CaImportException("The PKCS#12 entry '" + alias + "' must carry its chain up to the root");
        }
        List<X509Certificate> certs = new ArrayList<>();
        for (Certificate c : chain) {
            certs.add((X509Certificate) c);
        }
        return new IssuingCa((PrivateKey) store.getKey(alias, passphrase), certs);
    }

    private static CaHierarchyImport validated(X509Certificate root, PrivateKey rootKey, IssuingCa device,
            IssuingCa server) throws CaImportException {
        requireCa("root CA", root);
        verifySignature("root CA", root, root);
        if (rootKey != null) {
            KeyMatch.require("root CA", rootKey, root);
        }
        for (IssuingCa ca : List.of(device, server)) {
            String what = ca == device ? "device CA" : "server CA";
            requireCa(what, ca.certificate());
            if (!ca.root().equals(root)) {
                throw new CaImportException("The " + what + " chain ends in a different root than the one given");
            }
            verifySignature(what, ca.certificate(), ca.chain().get(1));
            if (!(ca.certificate().getPublicKey() instanceof ECPublicKey)
                    || ((ECPublicKey) ca.certificate().getPublicKey()).getParams().getCurve().getField()
                    .getFieldSize() != 256) {
                throw new CaImportException("The " + what + " key must be ECDSA P-256 (issuance signs with "
                        + "SHA256withECDSA); got " + ca.certificate().getPublicKey().getAlgorithm());
            }
            KeyMatch.require(what, ca.privateKey(), ca.certificate());
        }
        return new CaHierarchyImport(root, rootKey, device, server);
    }

    private static void requireCa(String what, X509Certificate cert) throws CaImportException {
        if (cert.getBasicConstraints() < 0) {
            throw new CaImportException("The " + what + " certificate (" + cert.getSubjectX500Principal().getName()
                    + ") is not a CA certificate (basicConstraints cA is not set)");
        }
        boolean[] keyUsage = cert.getKeyUsage();
        if (keyUsage != null && !keyUsage[5]) {
            throw new CaImportException("The " + what + " certificate lacks keyUsage keyCertSign");
        }
    }

    private static void verifySignature(String what, X509Certificate cert, X509Certificate issuer)
            throws CaImportException {
        try {
            cert.verify(issuer.getPublicKey(), P256Crypto.bouncyCastle());
        } catch (GeneralSecurityException e) {
            throw new CaImportException("The " + what + " certificate is not signed by "
                    + issuer.getSubjectX500Principal().getName(), e);
        }
    }

    /** Certificates and at most one private key found in a PEM text. */
    private static final class PemContents {
        private final String what;
        private final List<X509Certificate> certificates = new ArrayList<>();
        private PrivateKey key;

        private PemContents(String what) {
            this.what = what;
        }

        static PemContents read(String what, String pem, char[] passphrase) throws CaImportException {
            PemContents contents = new PemContents(what);
            if (pem == null || pem.isBlank()) {
                throw new CaImportException("The " + what + " PEM is empty");
            }
            JcaPEMKeyConverter keys = new JcaPEMKeyConverter().setProvider(P256Crypto.bouncyCastle());
            try (PEMParser parser = new PEMParser(new StringReader(pem))) {
                for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                    if (o instanceof X509CertificateHolder) {
                        contents.certificates.add(P256Crypto.preferred().certificate((X509CertificateHolder) o));
                    } else if (o instanceof PEMKeyPair) {
                        contents.key = keys.getPrivateKey(((PEMKeyPair) o).getPrivateKeyInfo());
                    } else if (o instanceof PrivateKeyInfo) {
                        contents.key = keys.getPrivateKey((PrivateKeyInfo) o);
                    } else if (o instanceof PKCS8EncryptedPrivateKeyInfo) {
                        contents.key = keys.getPrivateKey(decrypt(what, (PKCS8EncryptedPrivateKeyInfo) o, passphrase));
                    }
                }
            } catch (IOException e) {
                throw new CaImportException("The " + what + " PEM cannot be read: " + e.getMessage(), e);
            }
            return contents;
        }

        private static PrivateKeyInfo decrypt(String what, PKCS8EncryptedPrivateKeyInfo info, char[] passphrase)
                throws CaImportException {
            if (passphrase == null) {
                throw new CaImportException("The " + what + " key is encrypted: give its passphrase");
            }
            try {
                return info.decryptPrivateKeyInfo(new JceOpenSSLPKCS8DecryptorProviderBuilder()
                        .setProvider(P256Crypto.bouncyCastle()).build(passphrase));
            } catch (OperatorCreationException | PKCSException e) {
                throw new CaImportException("The " + what + " key cannot be decrypted: check its passphrase", e);
            }
        }

        X509Certificate singleCertificate() throws CaImportException {
            if (certificates.size() != 1) {
                throw new CaImportException("The " + what + " PEM must hold exactly one certificate, found "
                        + certificates.size());
            }
            return certificates.get(0);
        }

        PrivateKey requireKey() throws CaImportException {
            if (key == null) {
                throw new CaImportException("The " + what + " PEM holds no private key; add its PRIVATE KEY block");
            }
            return key;
        }
    }
}
