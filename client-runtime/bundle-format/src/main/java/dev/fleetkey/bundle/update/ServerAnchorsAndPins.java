package dev.fleetkey.bundle.update;

import dev.fleetkey.bundle.BundlePayload;
import dev.fleetkey.bundle.Certificates;
import dev.fleetkey.bundle.ServerCredentials;
import dev.fleetkey.bundle.ServerEntry;
import dev.fleetkey.bundle.Sha256;
import java.security.cert.CertificateException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How a device authenticates one server: the trust anchors of a certificate server or the pins of a raw
 * public key server, each named by the hex SHA-256 of its DER (an anchor's certificate, a key's
 * SubjectPublicKeyInfo: a full key and a pin of the same key are the same entry).
 */
record ServerAnchorsAndPins(String server, Map<String, byte[]> anchors, Set<String> pins) {

    static Optional<ServerAnchorsAndPins> of(ServerEntry entry) {
        ServerCredentials credentials = entry.credentials();
        if (credentials instanceof ServerCredentials.Certificates certificates) {
            Map<String, byte[]> anchors = new LinkedHashMap<>();
            certificates.trustAnchors().forEach(der -> anchors.put(hash(der), der));
            return Optional.of(new ServerAnchorsAndPins(entry.name(), anchors, Set.of()));
        }
        if (credentials instanceof ServerCredentials.RawPublicKey raw) {
            Set<String> pins = new LinkedHashSet<>();
            raw.serverPublicKeys().forEach(spki -> pins.add(hash(spki)));
            raw.serverKeyPins().forEach(pin -> pins.add(HexFormat.of().formatHex(pin)));
            return Optional.of(new ServerAnchorsAndPins(entry.name(), Map.of(), pins));
        }
        return Optional.empty(); // PSK: the key authenticates both ends, nothing to rotate here
    }

    /** A server the device authenticates by neither anchors nor pins (absent, or PSK). */
    static ServerAnchorsAndPins none(String server) {
        return new ServerAnchorsAndPins(server, Map.of(), Set.of());
    }

    /** The trust for server {@code name} in {@code bundle}, if the bundle names it (with a certificate or key mode). */
    static Optional<ServerAnchorsAndPins> in(BundlePayload bundle, String name) {
        return bundle == null ? Optional.empty() : bundle.server(name).flatMap(ServerAnchorsAndPins::of);
    }

    static String hash(byte[] der) {
        return Sha256.hex(der);
    }

    /** "CN=..., sha256 0123abcd" for people reading a dry run. */
    static String describeAnchor(byte[] der) {
        try {
            return Certificates.parse(der).getSubjectX500Principal().getName() + " (sha256 "
                    + hash(der).substring(0, 16) + ")";
        } catch (CertificateException e) {
            return "unparseable certificate (sha256 " + hash(der).substring(0, 16) + ")";
        }
    }
}
