package dev.fleetkey.service.pki;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.InvalidParameterException;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.SignatureException;
import java.security.SignatureSpi;
import java.util.List;

/**
 * {@code SHA256withECDSA} that signs with a token's key inside the token and does everything else in the JDK's
 * SunEC, registered first in the provider list while a {@link Pkcs11KeyVault} is open.
 *
 * <p>Why: JCA's delayed provider selection binds a {@link Signature} object to the provider of its first key.
 * Scandium keeps one {@code Signature} per thread and algorithm and uses it to verify peers' signatures (SunEC
 * keys) and to sign with the server's key (a token key), so whichever came first the other fails. This provider's
 * signature chooses per {@code init}: a key without an encoding (a token handle) goes to the token, any other key
 * to SunEC. Registering SunPKCS11 itself first would move every ECDSA verification and the JVM's default
 * {@link SecureRandom} into the token.
 */
final class TokenSignatureProvider extends Provider {

    private static final String ALGORITHM = "SHA256withECDSA";

    TokenSignatureProvider(Provider token) {
        super("Fleetkey-" + token.getName() + "-ECDSA", "1", ALGORITHM + ": keys in " + token.getName()
                + " sign there, other keys in SunEC");
        putService(new Service(this, "Signature", ALGORITHM, TokenOrSoftwareSignature.class.getName(),
                List.of("SHA256WITHECDSA", "1.2.840.10045.4.3.2", "OID.1.2.840.10045.4.3.2"), null) {
            @Override
            public Object newInstance(Object constructorParameter) {
                return new TokenOrSoftwareSignature(token);
            }
        });
    }

    /** Delegates each use to a signature of the token or of SunEC, chosen by the key. */
    static final class TokenOrSoftwareSignature extends SignatureSpi {

        private final Provider token;
        private Signature delegate;

        TokenOrSoftwareSignature(Provider token) {
            this.token = token;
        }

        @Override
        protected void engineInitVerify(PublicKey publicKey) throws InvalidKeyException {
            delegate = instance("SunEC");
            delegate.initVerify(publicKey);
        }

        @Override
        protected void engineInitSign(PrivateKey privateKey) throws InvalidKeyException {
            engineInitSign(privateKey, null);
        }

        @Override
        protected void engineInitSign(PrivateKey privateKey, SecureRandom random) throws InvalidKeyException {
            delegate = P256Crypto.inToken(privateKey) ? instance(token) : instance("SunEC");
            if (random == null) {
                delegate.initSign(privateKey);
            } else {
                delegate.initSign(privateKey, random);
            }
        }

        @Override
        protected void engineUpdate(byte b) throws SignatureException {
            initialized().update(b);
        }

        @Override
        protected void engineUpdate(byte[] bytes, int offset, int length) throws SignatureException {
            initialized().update(bytes, offset, length);
        }

        @Override
        protected void engineUpdate(ByteBuffer input) {
            try {
                initialized().update(input);
            } catch (SignatureException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        protected byte[] engineSign() throws SignatureException {
            return initialized().sign();
        }

        @Override
        protected boolean engineVerify(byte[] signature) throws SignatureException {
            return initialized().verify(signature);
        }

        @Override
        @Deprecated
        protected void engineSetParameter(String param, Object value) {
            throw new InvalidParameterException("No parameters for " + ALGORITHM);
        }

        @Override
        @Deprecated
        protected Object engineGetParameter(String param) {
            throw new InvalidParameterException("No parameters for " + ALGORITHM);
        }

        private Signature initialized() throws SignatureException {
            if (delegate == null) {
                throw new SignatureException("not initialized");
            }
            return delegate;
        }

        private static Signature instance(Object provider) throws InvalidKeyException {
            try {
                return provider instanceof Provider p ? Signature.getInstance(ALGORITHM, p)
                        : Signature.getInstance(ALGORITHM, (String) provider);
            } catch (NoSuchAlgorithmException e) {
                throw new InvalidKeyException(ALGORITHM + " is unavailable in " + provider, e);
            } catch (GeneralSecurityException e) {
                throw new InvalidKeyException(ALGORITHM + " provider " + provider + " is missing", e);
            }
        }
    }
}
