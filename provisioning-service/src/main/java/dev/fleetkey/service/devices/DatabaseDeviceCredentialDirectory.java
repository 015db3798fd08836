package dev.fleetkey.service.devices;

import dev.fleetkey.bundle.Certificates;
import dev.fleetkey.bundle.CredentialMode;
import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.bundle.Sha256;
import dev.fleetkey.service.endpoint.DeviceCredentialDirectory;
import dev.fleetkey.service.endpoint.KnownDevice;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Answers the device endpoint during a handshake from the database: which device holds this PSK identity,
 * raw public key or certificate. The endpoint keeps the answers in memory; every change that can withdraw one is
 * recorded by the {@link DeviceRepository} in the endpoint's change log, and an answer carries the end of its
 * rotation overlap ({@code valid_until}), so a revoked or rotated-out credential is still refused within seconds.
 */
@Component
class DatabaseDeviceCredentialDirectory implements DeviceCredentialDirectory {

    private static final Logger log = LoggerFactory.getLogger(DatabaseDeviceCredentialDirectory.class);

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
                .map(device -> new KnownDevice(device.eui64(), psks.open(device.eui64(), credential).credential(),
                        credential.validUntil())));
    }

    /** The per-request check of a PSK session: the same rows as {@link #findByPskIdentity}, no sealed key opened. */
    @Override
    @Transactional(readOnly = true)
    public boolean acceptsPskIdentity(Eui64 device, byte[] identity) {
        return identity != null && identity.length > 0 && devices.findUsablePsk(identity)
                .flatMap(this::activeDevice).filter(d -> d.eui64().equals(device)).isPresent();
    }

    /**
     * The device that registered this raw public key (RPK mode), if its credential is usable now. A key found
     * on more than one device (data from before keys were registered, see {@link DevicePublicKeyRegistry}) is
     * treated as unknown, even if only one of those credentials is still usable: whoever holds it could be
     * either device, and revoking one must not hand its key to the other.
     *
     * @param subjectPublicKeyInfo the DER SPKI the client presented
     */
    @Override
    @Transactional(readOnly = true)
    public Optional<KnownDevice> findByRawPublicKey(byte[] subjectPublicKeyInfo) {
        if (subjectPublicKeyInfo == null || subjectPublicKeyInfo.length == 0) {
            return Optional.empty();
        }
        return unambiguous(subjectPublicKeyInfo)
                .filter(c -> c.mode() == CredentialMode.RAW_PUBLIC_KEY && c.usableAt(Instant.now()))
                .findFirst().flatMap(c -> activeDevice(c).map(d -> new KnownDevice(d.eui64(), null, c.validUntil())));
    }

    /**
     * The device this exact client certificate was issued to, if its credential is usable now. The caller
     * has checked the chain to the device CA and read the EUI-64; this adds that the certificate is one this
     * service issued to that device, that its key is bound to no other device, and revocation, rotation and
     * the device's state.
     */
    @Override
    @Transactional(readOnly = true)
    public Optional<KnownDevice> findByCertificate(Eui64 device, X509Certificate certificate) {
        return Certificates.encoded(certificate).flatMap(der -> devices
                .findUsableByCertificateSerial(certificate.getSerialNumber().toString(16)).stream()
                .filter(c -> Arrays.equals(c.certificate(), der))
                .filter(c -> unambiguous(c.publicKey()).findAny().isPresent())
                .findFirst()).flatMap(c -> activeDevice(c).filter(d -> d.eui64().equals(device))
                        .map(d -> new KnownDevice(d.eui64(), null, c.validUntil())));
    }

    /** Every credential carrying this key if they all belong to one device; none if several devices share it. */
    private Stream<DeviceCredential> unambiguous(byte[] subjectPublicKeyInfo) {
        List<DeviceCredential> holders = devices.findAllByPublicKeySha256(Sha256.digest(subjectPublicKeyInfo))
                .stream().filter(c -> Arrays.equals(c.publicKey(), subjectPublicKeyInfo)).toList();
        long devicesHoldingIt = holders.stream().mapToLong(DeviceCredential::deviceId).distinct().count();
        if (devicesHoldingIt > 1) {
            log.warn("A public key (SHA-256 {}) is held by {} devices; refused until an administrator rotates or revokes"
                    + " them", Sha256.hex(subjectPublicKeyInfo), devicesHoldingIt);
            return Stream.empty();
        }
        return holders.stream();
    }

    private Optional<Device> activeDevice(DeviceCredential credential) {
        return devices.findById(credential.deviceId()).filter(device -> device.state() != Device.State.REVOKED);
    }
}
