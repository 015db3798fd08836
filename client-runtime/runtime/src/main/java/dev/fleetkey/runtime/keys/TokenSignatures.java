package dev.fleetkey.runtime.keys;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.InvalidParameterException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Security;
import java.security.Signature;
import java.security.SignatureException;
import java.security.SignatureSpi;
import java.util.List;

/**
 * ECDSA signatures that work with a token's keys and software keys alike on one {@link Signature} object. The JDK
 * fixes a provider-less {@code Signature}'s provider at its first initialisation, and Scandium keeps one such object
 * per thread for both verifying the server (a software key: SunEC) and signing (the token key: SunPKCS11), so the
 * second use fails. This provider, installed first, routes every initialisation by key: the token's private keys to
 * SunPKCS11, everything else to the providers after it.
 */
final class TokenSignatures extends Provider {

    private static final long serialVersionUID = 1L;
    private static final List<String> ALGORITHMS = List.of("SHA1withECDSA", "SHA256withECDSA", "SHA384withECDSA",
            "SHA512withECDSA");

    private final transient Provider token;

    private TokenSignatures(Provider token) {
        super("Fleetkey-" + token.getName(), "1.0", "ECDSA routed by key: " + token.getName() + " for its own keys");
        this.token = token;
        for (String algorithm : ALGORITHMS) {
            putService(new Service(this, "Signature", algorithm, Routing.class.getName(), null, null) {
                @Override
                public Object newInstance(Object parameter) {
                    return new Routing(algorithm, TokenSignatures.this.token, TokenSignatures.this);
                }
            });
        }
    }

    /** Installs the routing for {@code token}'s keys ahead of every other provider. */
    static void install(Provider token) {
        Security.removeProvider("Fleetkey-" + token.getName());
        Security.insertProviderAt(new TokenSignatures(token), 1);
    }

    /** One signature, its provider chosen anew at each initialisation. */
    private static final class Routing extends SignatureSpi {
        private final String algorithm;
        private final Provider token;
        private final Provider self;
        private Signature current;

        Routing(String algorithm, Provider token, Provider self) {
            this.algorithm = algorithm;
            this.token = token;
            this.self = self;
        }

        @Override
        protected void engineInitSign(PrivateKey key) throws InvalidKeyException {
            current = key.getFormat() == null ? instance(token) : software();
            current.initSign(key);
        }

        @Override
        protected void engineInitVerify(PublicKey key) throws InvalidKeyException {
            current = software();
            current.initVerify(key);
        }

        private Signature software() throws InvalidKeyException {
            for (Provider provider : Security.getProviders("Signature." + algorithm)) {
                if (provider != self && provider != token && !provider.getName().startsWith("Fleetkey-")) {
                    return instance(provider);
                }
            }
            throw new InvalidKeyException("no provider for " + algorithm);
        }

        private Signature instance(Provider provider) throws InvalidKeyException {
            try {
                return Signature.getInstance(algorithm, provider);
            } catch (GeneralSecurityException e) {
                throw new InvalidKeyException(provider.getName() + " has no " + algorithm, e);
            }
        }

        @Override
        protected void engineUpdate(byte b) throws SignatureException {
            current.update(b);
        }

        @Override
        protected void engineUpdate(byte[] b, int off, int len) throws SignatureException {
            current.update(b, off, len);
        }

        @Override
        protected byte[] engineSign() throws SignatureException {
            return current.sign();
        }

        @Override
        protected boolean engineVerify(byte[] sigBytes) throws SignatureException {
            return current.verify(sigBytes);
        }

        @Override
        @Deprecated
        protected void engineSetParameter(String param, Object value) {
            throw new InvalidParameterException("ECDSA takes no parameters");
        }

        @Override
        @Deprecated
        protected Object engineGetParameter(String param) {
            throw new InvalidParameterException("ECDSA takes no parameters");
        }
    }
}
