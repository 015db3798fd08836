package dev.fleetkey.service.checkins;

import static dev.fleetkey.service.system.UtcColumns.utc;

import dev.fleetkey.bundle.Sha256;
import dev.fleetkey.bundle.BundlePayload;
import dev.fleetkey.bundle.BundleSigner;
import dev.fleetkey.bundle.ServerCredentials;
import dev.fleetkey.bundle.ServerEntry;
import dev.fleetkey.bundle.MalformedBundleException;
import dev.fleetkey.bundle.update.UpdatePackage;
import dev.fleetkey.service.audit.AuditTrail;
import dev.fleetkey.service.firmware.FirmwarePackages;
import dev.fleetkey.service.firmware.FleetBundles;
import dev.fleetkey.service.firmware.FleetSequences;
import dev.fleetkey.service.pki.CertificateAuthorities;
import dev.fleetkey.service.pki.ServerCredentialStore;
import dev.fleetkey.service.pki.ServerRawPublicKey;
import dev.fleetkey.service.templates.DeviceTemplate;
import dev.fleetkey.service.templates.ServerEntries;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The fleet config bundle {@code GET /config} serves: the one inside the product line's newest released
 * firmware package (the firmware feature's fleet bundle, with its trust and rotation rules). Before any
 * release exists for a product line, a minimal one (servers, the endpoint's pin and the Fleetkey root, DTLS
 * policy, no secret) is made once per template version and kept in {@code endpoint_fleet_bundles}, so every
 * device gets the same bytes and ETag; it takes its sequence from the product line's counter that releases
 * use too ({@code fleet_sequences}), so a later release always has a higher sequence and replaces it.
 */
@Component
class EndpointFleetBundles {

    /** A signed fleet bundle and its sequence (per product line). */
    record Stored(long sequence, byte[] signed) {
    }

    private final JdbcClient jdbc;
    private final BundleSigner signer;
    private final CertificateAuthorities authorities;
    private final ServerCredentialStore serverCredentials;
    private final AuditTrail audit;
    private final FirmwarePackages packages;
    private final FleetSequences fleetSequences;
    private final SecureRandom random = new SecureRandom();

    EndpointFleetBundles(JdbcClient jdbc, BundleSigner signer, CertificateAuthorities authorities,
                         ServerCredentialStore serverCredentials, AuditTrail audit, FirmwarePackages packages,
                         FleetSequences fleetSequences) {
        this.packages = packages;
        this.fleetSequences = fleetSequences;
        this.jdbc = jdbc;
        this.signer = signer;
        this.authorities = authorities;
        this.serverCredentials = serverCredentials;
        this.audit = audit;
    }

    /** The newest released fleet bundle of the product line, else the endpoint's own, made now if there is none. */
    @Transactional
    Stored newest(DeviceTemplate template, Instant now) {
        Optional<Stored> released = released(template.id());
        if (released.isPresent()) {
            return released.get();
        }
        Optional<Stored> stored = jdbc.sql("""
                SELECT sequence_number, signed_bundle FROM endpoint_fleet_bundles
                WHERE product_line = :line AND template_version = :version AND not_after > :now
                ORDER BY sequence_number DESC FETCH FIRST 1 ROWS ONLY""")
                .param("line", template.id()).param("version", template.version()).param("now", utc(now))
                .query((rs, n) -> new Stored(rs.getLong(1), rs.getBytes(2))).optional();
        return stored.orElseGet(() -> issue(template, now));
    }

    private Stored issue(DeviceTemplate template, Instant now) {
        long sequence = fleetSequences.next(template.id());
        byte[] bundleId = new byte[16];
        random.nextBytes(bundleId);
        BundlePayload payload = FleetBundles.payload(template, bundleId, sequence, now, servers(template));
        byte[] signed = signer.sign(payload);
        jdbc.sql("""
                INSERT INTO endpoint_fleet_bundles (product_line, template_version, sequence_number, signed_bundle,
                    issued_at, not_after) VALUES (:line, :version, :seq, :signed, :issued, :notAfter)""")
                .param("line", template.id()).param("version", template.version()).param("seq", sequence)
                .param("signed", signed).param("issued", utc(now)).param("notAfter", utc(payload.notAfter()))
                .update();
        audit.record("fleet-bundle.issued", "template:" + template.reference() + " bundle:" + payload.bundleIdHex()
                + " seq:" + sequence + " for the device endpoint");
        return new Stored(sequence, signed);
    }

    /** The fleet bundle component of the product line's newest package (highest sequence), if any. */
    private Optional<Stored> released(String productLine) {
        Optional<FirmwarePackages.PackageView> newest = packages.list().stream()
                .filter(p -> p.productLine().equals(productLine))
                .max(Comparator.comparingLong(FirmwarePackages.PackageView::sequence));
        if (newest.isEmpty()) {
            return Optional.empty();
        }
        List<FirmwarePackages.ComponentView> components = newest.get().components();
        try {
            List<byte[]> bytes = UpdatePackage.decode(packages.download(newest.get().id())).components();
            for (int i = 0; i < components.size() && i < bytes.size(); i++) {
                if (components.get(i).role().equals("fleet-bundle")
                        && Sha256.hex(bytes.get(i)).equals(components.get(i).sha256())) {
                    return Optional.of(new Stored(newest.get().sequence(), bytes.get(i)));
                }
            }
        } catch (MalformedBundleException e) {
            throw new IllegalStateException("firmware package " + newest.get().fileName() + " is unreadable", e);
        }
        throw new IllegalStateException("firmware package " + newest.get().fileName() + " holds no fleet bundle");
    }

    private List<ServerEntry> servers(DeviceTemplate template) {
        return ServerEntries.of(template, new ServerEntries.Credentials() {
            @Override
            public ServerCredentials.Psk psk(DeviceTemplate.Server server) {
                return new ServerCredentials.Psk(null, null);
            }

            @Override
            public ServerCredentials.RawPublicKey rawPublicKey(DeviceTemplate.Server server) {
                ServerRawPublicKey key = serverCredentials.rawPublicKeyFor(server.name(), server.host());
                return new ServerCredentials.RawPublicKey(null, null, List.of(key.subjectPublicKeyInfo()),
                        List.of(key.fingerprint()));
            }

            @Override
            public ServerCredentials.Certificates certificates(DeviceTemplate.Server server) {
                return new ServerCredentials.Certificates(null, List.of(), List.of(rootDer()));
            }
        });
    }

    private byte[] rootDer() {
        try {
            return authorities.rootCertificate().getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("the root certificate cannot be encoded", e);
        }
    }
}
