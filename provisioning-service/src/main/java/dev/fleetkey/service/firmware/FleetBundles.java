package dev.fleetkey.service.firmware;

import dev.fleetkey.bundle.BundleKind;
import dev.fleetkey.bundle.BundlePayload;
import dev.fleetkey.bundle.DtlsPolicy;
import dev.fleetkey.bundle.ServerCredentials;
import dev.fleetkey.bundle.ServerEntry;
import dev.fleetkey.bundle.Sha256;
import dev.fleetkey.bundle.TemplateRef;
import dev.fleetkey.service.audit.AuditTrail;
import dev.fleetkey.service.pki.CertificateAuthorities;
import dev.fleetkey.service.pki.ServerCredentialStore;
import dev.fleetkey.service.templates.DeviceTemplate;
import dev.fleetkey.service.templates.ServerEntries;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.springframework.stereotype.Service;

/**
 * Fleet config bundles (kind fleet): per template version, the servers with their URIs, hosts and cipher
 * suites, the trust anchors of certificate servers and the pins of raw public key servers from
 * {@link FleetTrust}, and the DTLS policy; no per-device secret. The payload is a function of its inputs
 * (its bundle id is derived from product line and sequence), so it can be rebuilt byte for byte.
 */
@Service
public class FleetBundles {

    private final FleetTrust trust;
    private final CertificateAuthorities authorities;
    private final ServerCredentialStore serverCredentials;
    private final AuditTrail audit;

    FleetBundles(FleetTrust trust, CertificateAuthorities authorities, ServerCredentialStore serverCredentials,
            AuditTrail audit) {
        this.trust = trust;
        this.authorities = authorities;
        this.serverCredentials = serverCredentials;
        this.audit = audit;
    }

    /**
     * The fleet payload for {@code template} with {@code sequence}, issued at {@code issuedAt}.
     *
     */
    BundlePayload payload(DeviceTemplate template, long sequence, Instant issuedAt) {
        List<ServerEntry> servers = ServerEntries.of(template, new ServerEntries.Credentials() {
            @Override
            public ServerCredentials.Psk psk(DeviceTemplate.Server server) {
                return new ServerCredentials.Psk(null, null);
            }

            @Override
            public ServerCredentials.RawPublicKey rawPublicKey(DeviceTemplate.Server server) {
                return new ServerCredentials.RawPublicKey(null, null, List.of(), pins(template, server));
            }

            @Override
            public ServerCredentials.Certificates certificates(DeviceTemplate.Server server) {
                return new ServerCredentials.Certificates(null, List.of(), anchors(template, server));
            }
        });
        return payload(template, bundleId(template.id(), sequence), sequence, issuedAt, servers);
    }

    /**
     * The one shape of a fleet payload (releases and the device endpoint's own): no device, the template's
     * validity and DTLS policy, the given servers.
     */
    public static BundlePayload payload(DeviceTemplate template, byte[] bundleId, long sequence, Instant issuedAt,
            List<ServerEntry> servers) {
        return new BundlePayload(BundlePayload.FORMAT_VERSION, BundleKind.FLEET, bundleId, sequence, issuedAt,
                issuedAt.plus(template.bundle().validity()), null, new TemplateRef(template.id(), template.version()),
                servers, new DtlsPolicy(template.dtls().initialRetransmission(), template.dtls().resumption(),
                        template.dtls().connectionId()), false);
    }

    /**
     * A raw public key server with no pin configured yet starts with the key the service holds for it (the
     * one device bundles pin, {@code ServerCredentialStore}), recorded explicitly so it can be rotated out.
     */
    private List<byte[]> pins(DeviceTemplate template, DeviceTemplate.Server server) {
        List<byte[]> pins = trust.values(template.id(), server.name(), FleetTrust.Kind.PIN);
        if (!pins.isEmpty()) {
            return pins;
        }
        byte[] spki = serverCredentials.rawPublicKeyFor(server.name(), server.host()).subjectPublicKeyInfo();
        trust.addPin(template.id(), server.name(), spki);
        audit.record("fleet-trust.seeded", template.id() + "/" + server.name() + " with the service's server key");
        return List.of(Sha256.digest(spki));
    }

    /** A certificate server with no anchor configured yet starts with the service's own root CA, recorded explicitly. */
    private List<byte[]> anchors(DeviceTemplate template, DeviceTemplate.Server server) {
        List<byte[]> anchors = trust.values(template.id(), server.name(), FleetTrust.Kind.ANCHOR);
        if (!anchors.isEmpty()) {
            return anchors;
        }
        trust.addAnchor(template.id(), server.name(), authorities.rootCertificate());
        audit.record("fleet-trust.seeded", template.id() + "/" + server.name() + " with the service root CA");
        try {
            return List.of(authorities.rootCertificate().getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("the root certificate cannot be encoded", e);
        }
    }

    /** Derived, not random: the same product line and sequence always name the same fleet bundle. */
    static byte[] bundleId(String productLine, long sequence) {
        byte[] hash = Sha256.digest(("fleetkey fleet bundle\n" + productLine + "\n" + sequence)
                .getBytes(StandardCharsets.UTF_8));
        return Arrays.copyOf(hash, 16);
    }
}
