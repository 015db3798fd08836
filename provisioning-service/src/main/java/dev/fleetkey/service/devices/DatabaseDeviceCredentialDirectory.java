package dev.fleetkey.service.devices;

import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.service.endpoint.DeviceCredentialDirectory;
import dev.fleetkey.service.endpoint.KnownDevice;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Optional;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Answers the device endpoint during a handshake from the database: which device holds this PSK identity,
 * raw public key or certificate. Read on every handshake, so a revoked credential or device, or an old
 * credential past its rotation overlap ({@code valid_until}), is refused on its next attempt.
 */
@Component
class DatabaseDeviceCredentialDirectory implements DeviceCredentialDirectory {

    private final DeviceRepository devices;
    private final DevicePsks psks;

    DatabaseDeviceCredentialDirectory(DeviceRepository devices, DevicePsks psks) {
        this.devices = devices;
        this.psks = psks;
    }

    @Override
    @Transactional(readOnly = true)
    public Optional<KnownDevice> findByPskIdentity(byte[] identity) {
        if (identity == null || identity.length == 0) {
            return Optional.empty();
        }
        return devices.findUsablePsk(identity).flatMap(credential -> activeDevice(credential)
                .map(device -> {
                    DevicePsks.OpenPsk open = psks.open(device.eui64(), credential);
                    byte[] key = open.key();
                    try {
                        return new KnownDevice(device.eui64(), open.identity(), key);
                    } finally {
                        Arrays.fill(key, (byte) 0);
                        open.wipe();
                    }
                }));
    }

    /**
     * The device that registered this raw public key (RPK mode), if its credential is usable now.
     *
     * @param subjectPublicKeyInfo the DER SPKI the client presented
     */
    @Override
    @Transactional(readOnly = true)
    public Optional<KnownDevice> findByRawPublicKey(byte[] subjectPublicKeyInfo) {
        if (subjectPublicKeyInfo == null || subjectPublicKeyInfo.length == 0) {
            return Optional.empty();
        }
        return devices.findUsableByPublicKeySha256(CredentialMinter.sha256(subjectPublicKeyInfo)).stream()
                .filter(c -> "RAW_PUBLIC_KEY".equals(c.mode()) && Arrays.equals(c.publicKey(), subjectPublicKeyInfo))
                .findFirst().flatMap(this::activeDevice).map(d -> KnownDevice.withoutPsk(d.eui64()));
    }

    /**
     * The device this exact client certificate was issued to, if its credential is usable now. The caller
     * has checked the chain to the device CA and read the EUI-64; this adds that the certificate is one this
     * service issued to that device, and revocation, rotation and the device's state.
     */
    @Override
    @Transactional(readOnly = true)
    public Optional<KnownDevice> findByCertificate(Eui64 device, X509Certificate certificate) {
        byte[] der;
        try {
            der = certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            return Optional.empty();
        }
        return devices.findUsableByCertificateSerial(certificate.getSerialNumber().toString(16)).stream()
                .filter(c -> Arrays.equals(c.certificate(), der))
                .findFirst().flatMap(this::activeDevice).filter(d -> d.eui64().equals(device))
                .map(d -> KnownDevice.withoutPsk(d.eui64()));
    }

    private Optional<Device> activeDevice(DeviceCredential credential) {
        return devices.findById(credential.deviceId()).filter(device -> device.state() != Device.State.REVOKED);
    }
}
