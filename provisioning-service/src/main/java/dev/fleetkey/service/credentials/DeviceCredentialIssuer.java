package dev.fleetkey.service.credentials;

import java.net.URI;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Optional;

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
    private final Optional<URI> crlUrl;

    /** @param clientCertificates an issuer on the device CA with {@link CertificateProfile#deviceClient} */
    public DeviceCredentialIssuer(CertificateIssuer clientCertificates, P256Crypto crypto) {
        this(clientCertificates, crypto, Optional.empty());
    }

    /**
     * @param crlUrl the public URL of the device CA's CRL, named in certificates whose template asks for a CRL
     *               distribution point; empty when {@code fleetkey.public-base-url} is not set
     */
    public DeviceCredentialIssuer(CertificateIssuer clientCertificates, P256Crypto crypto, Optional<URI> crlUrl) {
        this.clientCertificates = clientCertificates;
        this.crypto = crypto;
        this.crlUrl = crlUrl;
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
        return issueClientCertificate(device, validity, false);
    }

    /**
     * As {@link #issueClientCertificate(Eui64, Duration)}, the certificate naming the device CA's CRL when
     * {@code crlDistributionPoint} (the template's {@code credentials.crl-distribution-point}).
     *
     * @throws IllegalArgumentException a CRL distribution point is asked for but no public base URL is set
     */
    public CertificateCredential issueClientCertificate(Eui64 device, Duration validity, boolean crlDistributionPoint) {
        KeyPair keys = crypto.generateKeyPair();
        return new CertificateCredential(keys.getPrivate().getEncoded(),
                chain(device, keys.getPublic(), validity, crlDistributionPoint));
    }

    /** A client certificate for a key made on the device (already checked by {@link DevicePublicKeys}). */
    public CertificateCredential issueClientCertificate(Eui64 device, Duration validity, PublicKey devicePublicKey) {
        return issueClientCertificate(device, validity, devicePublicKey, false);
    }

    /** As above, naming the device CA's CRL when {@code crlDistributionPoint}. */
    public CertificateCredential issueClientCertificate(Eui64 device, Duration validity, PublicKey devicePublicKey,
            boolean crlDistributionPoint) {
        return new CertificateCredential(null, chain(device, devicePublicKey, validity, crlDistributionPoint));
    }

    private java.util.List<X509Certificate> chain(Eui64 device, PublicKey key, Duration validity, boolean crl) {
        URI crlDistributionPoint = null;
        if (crl) {
            crlDistributionPoint = crlUrl.orElseThrow(() -> new IllegalArgumentException("The template asks for a CRL"
                    + " distribution point in device certificates, but fleetkey.public-base-url is not set: set it to"
                    + " the URL this service is reached at, or drop credentials.crl-distribution-point."));
        }
        X509Certificate leaf = clientCertificates.issue(new CertificateRequest(new CertificateSubject.Device(device),
                key, validity, crlDistributionPoint));
        return clientCertificates.chainFor(leaf);
    }
}
