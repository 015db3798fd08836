package dev.fleetkey.bundle.update;

import dev.fleetkey.bundle.BundlePayload;
import dev.fleetkey.bundle.Certificates;
import dev.fleetkey.bundle.ServerCredentials;
import dev.fleetkey.bundle.ServerEntry;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The rules that keep a fleet config update from bricking a device (FORMAT.md section 10). A device
 * applies a new fleet bundle only when, for every server it names:
 * <ol>
 * <li>a certificate server keeps at least one trust anchor valid now ({@code NO_VALID_ANCHOR});</li>
 * <li>a raw public key server keeps at least one key or pin ({@code NO_PIN});</li>
 * <li>a server the device already knows (from its current fleet bundle, else its device bundle) keeps at
 * least one anchor or pin it trusts today: rotation goes in steps, the new beside the old first, the old
 * removed by a later update ({@code NO_OVERLAP});</li>
 * </ol>
 * and no anchor it drops is the one the device's own client certificate chain ends at ({@code ANCHOR_IN_USE}):
 * new device credentials must arrive (a device bundle) before their old root goes.
 */
public final class FleetRotation {

    private FleetRotation() {
    }

    /**
     * @param currentFleet the fleet bundle the device runs now, or null before its first one
     * @param nextFleet the verified fleet bundle to apply
     * @param deviceBundle the device bundle the device will run with {@code nextFleet} (its client chains)
     * @param now the device's time
     * @throws RotationRefusedException the first rule broken
     */
    public static void check(BundlePayload currentFleet, BundlePayload nextFleet, BundlePayload deviceBundle,
                             Instant now) throws RotationRefusedException {
        for (ServerEntry server : nextFleet.servers()) {
            Optional<ServerAnchorsAndPins> next = ServerAnchorsAndPins.of(server);
            if (next.isEmpty()) {
                continue;
            }
            ServerAnchorsAndPins trust = next.get();
            if (server.credentials() instanceof ServerCredentials.Certificates) {
                if (trust.anchors().values().stream().noneMatch(der -> validAt(der, now))) {
                    throw new RotationRefusedException(RotationRefusedException.Rule.NO_VALID_ANCHOR, server.name(),
                            "it would have no trust anchor valid at " + now);
                }
            } else if (trust.pins().isEmpty()) {
                throw new RotationRefusedException(RotationRefusedException.Rule.NO_PIN, server.name(),
                        "it would have no server key or pin");
            }
            Optional<ServerAnchorsAndPins> today = ServerAnchorsAndPins.in(currentFleet, server.name())
                    .or(() -> ServerAnchorsAndPins.in(deviceBundle, server.name()));
            if (today.isPresent() && !overlaps(today.get(), trust)) {
                throw new RotationRefusedException(RotationRefusedException.Rule.NO_OVERLAP, server.name(),
                        "it replaces every " + (trust.pins().isEmpty() ? "trust anchor" : "server key pin")
                                + " the device trusts today; ship the new one beside the old first, and drop the"
                                + " old in a later update");
            }
        }
        checkClientChainsKeepTheirRoots(currentFleet, nextFleet, deviceBundle);
    }

    private static void checkClientChainsKeepTheirRoots(BundlePayload currentFleet, BundlePayload nextFleet,
                                                        BundlePayload deviceBundle) throws RotationRefusedException {
        if (currentFleet == null || deviceBundle == null) {
            return;
        }
        Set<String> kept = new HashSet<>();
        nextFleet.servers().forEach(s -> ServerAnchorsAndPins.of(s).ifPresent(t -> kept.addAll(t.anchors().keySet())));
        List<X509Certificate> chainTops = new ArrayList<>();
        for (ServerEntry server : deviceBundle.servers()) {
            if (server.credentials() instanceof ServerCredentials.Certificates certificates
                    && !certificates.clientChain().isEmpty()) {
                try {
                    List<byte[]> chain = certificates.clientChain();
                    chainTops.add(Certificates.parse(chain.get(chain.size() - 1)));
                } catch (java.security.cert.CertificateException e) {
                    // an unreadable client chain cannot chain to anything; the runtime reports it on connect
                }
            }
        }
        for (ServerEntry server : currentFleet.servers()) {
            Optional<ServerAnchorsAndPins> trust = ServerAnchorsAndPins.of(server);
            if (trust.isEmpty()) {
                continue;
            }
            for (Map.Entry<String, byte[]> anchor : trust.get().anchors().entrySet()) {
                if (!kept.contains(anchor.getKey()) && chainTops.stream().anyMatch(top -> issued(anchor.getValue(), top))) {
                    throw new RotationRefusedException(RotationRefusedException.Rule.ANCHOR_IN_USE, server.name(),
                            "it drops trust anchor " + ServerAnchorsAndPins.describeAnchor(anchor.getValue())
                                    + ", which the device's own certificate chain still chains to; deliver new"
                                    + " device credentials first");
                }
            }
        }
    }

    private static boolean overlaps(ServerAnchorsAndPins today, ServerAnchorsAndPins next) {
        if (!today.anchors().isEmpty() || !next.anchors().isEmpty()) {
            return today.anchors().keySet().stream().anyMatch(next.anchors()::containsKey);
        }
        return today.pins().stream().anyMatch(next.pins()::contains);
    }

    private static boolean validAt(byte[] der, Instant now) {
        try {
            Certificates.parse(der).checkValidity(Date.from(now));
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static boolean issued(byte[] anchorDer, X509Certificate certificate) {
        try {
            X509Certificate anchor = Certificates.parse(anchorDer);
            if (!certificate.getIssuerX500Principal().equals(anchor.getSubjectX500Principal())) {
                return false;
            }
            certificate.verify(anchor.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
