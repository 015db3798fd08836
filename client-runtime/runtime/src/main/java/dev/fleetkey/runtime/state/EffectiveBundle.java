package dev.fleetkey.runtime.state;

import dev.fleetkey.bundle.BundlePayload;
import dev.fleetkey.bundle.ServerCredentials;
import dev.fleetkey.bundle.ServerEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Combines the device bundle (who the device is: PSKs, keys, client chains) with the fleet bundle (where
 * the servers are and how to trust them: URIs, hosts, suites, anchors, pins, DTLS policy) into the one
 * payload a {@code SecureSession} runs on. The fleet bundle wins for everything it carries; a server the
 * fleet bundle does not name keeps the device bundle's entry. The renewal period is the device bundle's, or the
 * fleet bundle's when the device bundle has none.
 */
final class EffectiveBundle {

    private EffectiveBundle() {
    }

    static BundlePayload of(BundlePayload device, Optional<BundlePayload> fleet) {
        if (fleet.isEmpty()) {
            return device;
        }
        List<ServerEntry> servers = new ArrayList<>();
        for (ServerEntry own : device.servers()) {
            Optional<ServerEntry> shared = fleet.get().server(own.name()).filter(f -> f.mode() == own.mode());
            servers.add(shared.map(f -> merge(own, f)).orElse(own));
        }
        return new BundlePayload(device.formatVersion(), device.kind(), device.bundleId(), device.sequence(),
                device.issuedAt(), device.notAfter(), device.device(), device.template(), servers,
                fleet.get().dtlsPolicy(), device.secretsInClear(), device.sealedSecrets(),
                device.renewBefore() != null ? device.renewBefore() : fleet.get().renewBefore());
    }

    private static ServerEntry merge(ServerEntry own, ServerEntry fleet) {
        ServerCredentials mine = own.credentials();
        ServerCredentials credentials = mine;
        if (mine instanceof ServerCredentials.RawPublicKey raw
                && fleet.credentials() instanceof ServerCredentials.RawPublicKey pins) {
            credentials = new ServerCredentials.RawPublicKey(raw.clientPrivateKey(), raw.clientPublicKey(),
                    pins.serverPublicKeys(), pins.serverKeyPins());
        } else if (mine instanceof ServerCredentials.Certificates certificates
                && fleet.credentials() instanceof ServerCredentials.Certificates anchors) {
            credentials = new ServerCredentials.Certificates(certificates.clientPrivateKey(),
                    certificates.clientChain(), anchors.trustAnchors());
        }
        return new ServerEntry(own.name(), fleet.uri(), fleet.host(), own.mode(), fleet.cipherSuites(), credentials);
    }
}
