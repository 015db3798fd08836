package dev.fleetkey.bundle;

import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.SignatureException;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.RuntimeOperatorException;

/**
 * ECDSA with SHA-256 and RFC 6979 deterministic nonces, as a BouncyCastle {@link ContentSigner}.
 * Why not JcaContentSignerBuilder: it has no algorithm identifier for BouncyCastle's
 * {@code SHA256withECDDSA}; on the wire the signature is plain ecdsa-with-SHA256.
 */
final class DeterministicEcdsa implements ContentSigner {

    private static final AlgorithmIdentifier ECDSA_WITH_SHA256 = new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA256);

    private final Signature signature;

    DeterministicEcdsa(PrivateKey key) {
        try {
            signature = Signature.getInstance("SHA256withECDDSA", Crypto.BC);
            signature.initSign(key);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("bundle signing key must be ECDSA P-256: " + e.getClass().getSimpleName(), e);
        }
    }

    @Override
    public AlgorithmIdentifier getAlgorithmIdentifier() {
        return ECDSA_WITH_SHA256;
    }

    @Override
    public OutputStream getOutputStream() {
        return new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                try {
                    signature.update(b, off, len);
                } catch (SignatureException e) {
                    throw new RuntimeOperatorException("signature update failed", e);
                }
            }
        };
    }

    @Override
    public byte[] getSignature() {
        try {
            return signature.sign();
        } catch (SignatureException e) {
            throw new RuntimeOperatorException("signing failed", e);
        }
    }
}
