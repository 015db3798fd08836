package dev.fleetkey.service.endpoint;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.fleetkey.bundle.Eui64;

/** A {@link DeviceCredentialDirectory} for tests that run the endpoint without a database. */
final class InMemoryDirectory implements DeviceCredentialDirectory {

    private final List<KnownDevice> devices = new CopyOnWriteArrayList<>();

    void add(Eui64 device, byte[] identity, byte[] key) {
        devices.add(new KnownDevice(device, identity, key));
    }

    @Override
    public Optional<KnownDevice> findByPskIdentity(byte[] identity) {
        return devices.stream().filter(d -> java.util.Arrays.equals(d.pskIdentity(), identity)).findFirst();
    }
}
