package dev.fleetkey.service.credentials;

import java.security.KeyPair;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;

import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.bundle.credentials.CertificateCredential;
import dev.fleetkey.bundle.credentials.RawPublicKeyCredential;
import dev.fleetkey.service.pki.CertificateIssuer;
import dev.fleetkey.service.pki.CertificateProfile;
import dev.fleetkey.service.pki.CertificateRequest;
import dev.fleetkey.service.pki.CertificateSubject;
import dev.fleetkey.service.pki.DevicePublicKeys;
import dev.fleetkey.service.pki.P256Crypto;

/**
 * Issues a device's raw-public-key and certificate credentials, with the key made here or on the device
 * (then only its public key or CSR arrives; see {@link DevicePublicKeys}). PSKs come from {@link PskIssuer}.
 */
public final class DeviceCredentialIssuer {

    private final CertificateIssuer clientCertificates;
    private final P256Crypto crypto;

    /** @param clientCertificates an issuer on the device CA with {@link CertificateProfile#deviceClient} */
    public DeviceCredentialIssuer(CertificateIssuer clientCertificates, P256Crypto crypto) {
        this.clientCertificates = clientCertificates;
        this.crypto = crypto;
    }

    /** A fresh P-256 key pair; the service holds the private key until the bundle is delivered. */
    public RawPublicKeyCredential issueRawPublicKey() {
        KeyPair keys = crypto.generateKeyPair();
        return new RawPublicKeyCredential(keys.getPrivate().getEncoded(), keys.getPublic().getEncoded());
    }

    /** A raw public key made on the device (already checked by {@link DevicePublicKeys}). */
    public RawPublicKeyCredential rawPublicKeyMadeOnDevice(PublicKey devicePublicKey) {
        return new RawPublicKeyCredential(null, devicePublicKey.getEncoded());
    }

    /** A fresh P-256 key and a client certificate for {@code device}, valid for {@code validity}. */
    public CertificateCredential issueClientCertificate(Eui64 device, Duration validity) {
        KeyPair keys = crypto.generateKeyPair();
        return new CertificateCredential(keys.getPrivate().getEncoded(), chain(device, keys.getPublic(), validity));
    }

    /** A client certificate for a key made on the device (already checked by {@link DevicePublicKeys}). */
    public CertificateCredential issueClientCertificate(Eui64 device, Duration validity, PublicKey devicePublicKey) {
        return new CertificateCredential(null, chain(device, devicePublicKey, validity));
    }

    private java.util.List<X509Certificate> chain(Eui64 device, PublicKey key, Duration validity) {
        X509Certificate leaf = clientCertificates.issue(new CertificateRequest(new CertificateSubject.Device(device),
                key, validity));
        return clientCertificates.chainFor(leaf);
    }
}
