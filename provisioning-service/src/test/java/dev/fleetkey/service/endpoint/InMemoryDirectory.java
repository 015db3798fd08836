package dev.fleetkey.service.endpoint;

import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.bundle.credentials.PskCredential;

/**
 * A {@link DeviceCredentialDirectory} for tests that run the endpoint without a database: devices by PSK,
 * by raw public key and by certificate, and a revocation list that every lookup honours.
 */
final class InMemoryDirectory implements DeviceCredentialDirectory {

    private record RawKey(Eui64 device, byte[] spki) {
    }

    private final CopyOnWriteArrayList<KnownDevice> pskDevices = new CopyOnWriteArrayList<>();
    private final CopyOnWriteArrayList<RawKey> rawKeys = new CopyOnWriteArrayList<>();
    private final Set<Eui64> certified = ConcurrentHashMap.newKeySet();
    private final Set<Eui64> revoked = ConcurrentHashMap.newKeySet();

    void add(Eui64 device, byte[] identity, byte[] key) {
        pskDevices.add(new KnownDevice(device, new PskCredential(identity, key)));
    }

    void addRawPublicKey(Eui64 device, PublicKey key) {
        rawKeys.add(new RawKey(device, key.getEncoded()));
    }

    void addCertifiedDevice(Eui64 device) {
        certified.add(device);
    }

    void revoke(Eui64 device) {
        revoked.add(device);
    }

    @Override
    public Optional<KnownDevice> findByPskIdentity(byte[] identity) {
        return pskDevices.stream().filter(d -> Arrays.equals(d.psk().identity(), identity))
                .filter(d -> !revoked.contains(d.eui64())).findFirst();
    }

    @Override
    public Optional<KnownDevice> findByRawPublicKey(byte[] subjectPublicKeyInfo) {
        return rawKeys.stream().filter(k -> Arrays.equals(k.spki(), subjectPublicKeyInfo))
                .map(RawKey::device).filter(d -> !revoked.contains(d)).findFirst().map(KnownDevice::withoutPsk);
    }

    @Override
    public Optional<KnownDevice> findByCertificate(Eui64 device, X509Certificate certificate) {
        return certified.contains(device) && !revoked.contains(device)
                ? Optional.of(KnownDevice.withoutPsk(device)) : Optional.empty();
    }
}
