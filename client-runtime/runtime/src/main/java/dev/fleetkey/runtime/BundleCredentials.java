package dev.fleetkey.runtime;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import dev.fleetkey.bundle.Certificates;
import dev.fleetkey.bundle.CipherSuite;
import dev.fleetkey.bundle.ServerCredentials;
import dev.fleetkey.bundle.ServerEntry;
import dev.fleetkey.runtime.dtls.ClientCredentials;

/** Turns a bundle's server entry into the adapter's credentials, with one clear message per defect. */
final class BundleCredentials {

    private BundleCredentials() {
    }

    static ClientCredentials of(ServerEntry server) throws ServerConfigurationException {
        return of(server, Optional.empty());
    }

    /** As {@link #of(ServerEntry)}, the device's key and chain taken from {@code identity} when given. */
    static ClientCredentials of(ServerEntry server, Optional<ClientIdentity> identity)
            throws ServerConfigurationException {
        ServerCredentials credentials = server.credentials();
        if (identity.isPresent()) {
            return withIdentity(server, identity.get());
        }
        CipherSuite needed = credentials instanceof ServerCredentials.Psk
                ? CipherSuite.TLS_PSK_WITH_AES_128_CCM_8 : CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8;
        if (!server.cipherSuites().contains(needed)) {
            throw problem(server, "allows none of the suites this runtime offers for " + server.mode() + " ("
                    + needed + "); the bundle lists " + server.cipherSuites());
        }
        if (!credentials.hasSecret()) {
            throw problem(server, "has no " + (credentials instanceof ServerCredentials.Psk ? "PSK" : "private key")
                    + " in this bundle: open sessions with the device's own credential bundle");
        }
        try {
            if (credentials instanceof ServerCredentials.Psk psk) {
                return new ClientCredentials.Psk(psk.credential());
            }
            if (credentials instanceof ServerCredentials.RawPublicKey raw) {
                if (raw.clientPublicKey() == null) {
                    throw problem(server, "has no client public key");
                }
                List<PublicKey> serverKeys = new ArrayList<>();
                for (byte[] spki : raw.serverPublicKeys()) {
                    serverKeys.add(publicKey(server, spki, "a server public key"));
                }
                return new ClientCredentials.RawKey(privateKey(server, raw.clientPrivateKey()),
                        publicKey(server, raw.clientPublicKey(), "the client public key"), serverKeys,
                        raw.serverKeyPins());
            }
            ServerCredentials.Certificates certificates = (ServerCredentials.Certificates) credentials;
            return new ClientCredentials.Certificates(privateKey(server, certificates.clientPrivateKey()),
                    certificates(server, certificates.clientChain(), "client chain"),
                    certificates(server, certificates.trustAnchors(), "trust anchors"), server.host());
        } catch (IllegalArgumentException e) {
            throw problem(server, e.getMessage());
        }
    }

    private static ClientCredentials withIdentity(ServerEntry server, ClientIdentity identity)
            throws ServerConfigurationException {
        if (!(server.credentials() instanceof ServerCredentials.Certificates certificates)) {
            throw problem(server, "is a " + server.mode() + " server: a renewed or token-held key is used with"
                    + " certificate (x509) servers only");
        }
        if (!server.cipherSuites().contains(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8)) {
            throw problem(server, "allows none of the suites this runtime offers for " + server.mode() + " ("
                    + CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8 + "); the bundle lists " + server.cipherSuites());
        }
        PublicKey certified = identity.chain().get(0).getPublicKey();
        requireP256(server, certified.getAlgorithm(), isP256(certified), "the client certificate's key");
        try {
            return new ClientCredentials.Certificates(identity.privateKey(), identity.chain(),
                    certificates(server, certificates.trustAnchors(), "trust anchors"), server.host());
        } catch (IllegalArgumentException e) {
            throw problem(server, e.getMessage());
        }
    }

    /**
     * The key protecting this server's saved session when the device's key is {@code identity}'s: derived from
     * the software key; empty for a key held in a token, whose sessions are then not saved (there is no device
     * secret outside the token to encrypt them with).
     */
    static Optional<SecretKey> sessionStateKey(ServerEntry server, Optional<ClientIdentity> identity) {
        if (identity.isEmpty()) {
            return Optional.of(sessionStateKey(server));
        }
        return identity.get().softwareKey().map(key -> derive(key, server.name()));
    }

    /**
     * The key protecting this server's saved session: derived from the device's own secret for that server,
     * so the state file is exactly as safe as the bundle that holds the secret, and no extra key is stored.
     */
    static SecretKey sessionStateKey(ServerEntry server) {
        ServerCredentials credentials = server.credentials();
        byte[] secret = credentials instanceof ServerCredentials.Psk psk ? psk.key()
                : credentials instanceof ServerCredentials.RawPublicKey raw ? raw.clientPrivateKey()
                : ((ServerCredentials.Certificates) credentials).clientPrivateKey();
        return derive(secret, server.name());
    }

    /** HMAC-SHA256 of the server's name under {@code secret}, which is wiped. */
    private static SecretKey derive(byte[] secret, String serverName) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            byte[] derived = mac.doFinal(("fleetkey session state v1 " + serverName).getBytes(StandardCharsets.UTF_8));
            try {
                return new SecretKeySpec(derived, "AES");
            } finally {
                Arrays.fill(derived, (byte) 0);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has HmacSHA256", e);
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    private static PrivateKey privateKey(ServerEntry server, byte[] pkcs8) throws ServerConfigurationException {
        try {
            PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            requireP256(server, key.getAlgorithm(), isP256(key), "private key");
            return key;
        } catch (GeneralSecurityException e) {
            throw problem(server, "the client private key is not a PKCS#8 EC key (" + e.getClass().getSimpleName() + ")");
        } finally {
            Arrays.fill(pkcs8, (byte) 0);
        }
    }

    private static PublicKey publicKey(ServerEntry server, byte[] spki, String what) throws ServerConfigurationException {
        try {
            PublicKey key = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(spki));
            requireP256(server, key.getAlgorithm(), isP256(key), what);
            return key;
        } catch (GeneralSecurityException e) {
            throw problem(server, what + " is not an EC SubjectPublicKeyInfo (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static boolean isP256(java.security.Key key) {
        return key instanceof java.security.interfaces.ECKey ec && ec.getParams().getCurve().getField().getFieldSize() == 256
                && ec.getParams().getOrder().bitLength() == 256 && ec.getParams().getCofactor() == 1
                && ec.getParams().getCurve().getA().signum() != 0; // secp256k1 has a = 0
    }

    private static void requireP256(ServerEntry server, String algorithm, boolean p256, String what)
            throws ServerConfigurationException {
        if (!"EC".equals(algorithm) || !p256) {
            throw problem(server, what + " is not on secp256r1 (P-256), the only curve of the profile");
        }
    }

    private static List<X509Certificate> certificates(ServerEntry server, List<byte[]> ders, String what)
            throws ServerConfigurationException {
        try {
            return Certificates.parse(ders);
        } catch (CertificateException e) {
            throw problem(server, "a certificate in the " + what + " does not parse: " + e.getMessage());
        }
    }

    private static ServerConfigurationException problem(ServerEntry server, String message) {
        return new ServerConfigurationException("server '" + server.name() + "' " + message);
    }
}
