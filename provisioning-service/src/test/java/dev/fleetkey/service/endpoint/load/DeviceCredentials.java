package dev.fleetkey.service.endpoint.load;

import dev.fleetkey.bundle.BundlePayload;
import dev.fleetkey.bundle.ServerCredentials;
import dev.fleetkey.bundle.ServerEntry;
import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;

/**
 * What one simulated device authenticates with, taken from the device bundle the service issued it:
 * exactly one of a PSK (identity and key), a raw key pair, or a key and certificate chain.
 */
record DeviceCredentials(String eui64, byte[] pskIdentity, byte[] pskKey, PrivateKey privateKey, PublicKey publicKey,
                         List<X509Certificate> chain) {

    /** The credential the bundle holds for {@code serverName}. */
    static DeviceCredentials from(String eui64, BundlePayload bundle, String serverName) {
        ServerEntry server = bundle.server(serverName).orElseThrow(() -> new IllegalStateException(
                "the bundle of " + eui64 + " names no server '" + serverName + "'"));
        try {
            ServerCredentials credentials = server.credentials();
            if (credentials instanceof ServerCredentials.Psk psk) {
                return new DeviceCredentials(eui64, psk.identity(), psk.key(), null, null, List.of());
            }
            if (credentials instanceof ServerCredentials.RawPublicKey rpk) {
                return new DeviceCredentials(eui64, null, null, privateKey(rpk.clientPrivateKey()),
                        KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(rpk.clientPublicKey())),
                        List.of());
            }
            ServerCredentials.Certificates x509 = (ServerCredentials.Certificates) credentials;
            return new DeviceCredentials(eui64, null, null, privateKey(x509.clientPrivateKey()), null,
                    certificates(x509.clientChain()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the bundle of " + eui64 + " holds an unreadable key: " + e, e);
        }
    }

    String mode() {
        return pskIdentity != null ? "psk" : chain.isEmpty() ? "rpk" : "x509";
    }

    private static PrivateKey privateKey(byte[] pkcs8) throws GeneralSecurityException {
        if (pkcs8 == null) {
            throw new IllegalStateException("the bundle carries no private key (was it fetched before?)");
        }
        return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    }

    private static List<X509Certificate> certificates(List<byte[]> ders) throws GeneralSecurityException {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        List<X509Certificate> chain = new ArrayList<>();
        for (byte[] der : ders) {
            chain.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
        }
        return chain;
    }

    @Override
    public String toString() {
        return "DeviceCredentials[" + eui64 + " " + mode() + ", secrets hidden]";
    }
}
