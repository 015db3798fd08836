package dev.fleetkey.service.pki;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;

/** Checks that a private key belongs to a certificate by signing a probe and verifying it. */
final class KeyMatch {

    private static final byte[] PROBE = "fleetkey key match probe".getBytes(StandardCharsets.US_ASCII);

    private KeyMatch() {
    }

    static void require(String what, PrivateKey key, X509Certificate cert) throws CaImportException {
        String algorithm = key.getAlgorithm().startsWith("EC") ? "SHA256withECDSA" : "SHA256with" + key.getAlgorithm();
        try {
            Signature signer = Signature.getInstance(algorithm, P256Crypto.bouncyCastle());
            signer.initSign(key);
            signer.update(PROBE);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm, P256Crypto.bouncyCastle());
            verifier.initVerify(cert.getPublicKey());
            verifier.update(PROBE);
            if (verifier.verify(signature)) {
                return;
            }
        } catch (GeneralSecurityException e) {
            throw new CaImportException("The " + what + " private key cannot be used with its certificate ("
                    + key.getAlgorithm() + " key)", e);
        }
        throw new CaImportException("The " + what + " private key does not belong to its certificate");
    }
}
