package dev.fleetkey.service.checkins;

import dev.fleetkey.bundle.BundleKind;
import dev.fleetkey.bundle.BundlePayload;
import dev.fleetkey.bundle.BundleSigner;
import dev.fleetkey.bundle.CipherSuite;
import dev.fleetkey.bundle.CredentialMode;
import dev.fleetkey.bundle.DtlsPolicy;
import dev.fleetkey.bundle.ServerCredentials;
import dev.fleetkey.bundle.ServerEntry;
import dev.fleetkey.bundle.TemplateRef;
import dev.fleetkey.service.pki.CertificateAuthorities;
import dev.fleetkey.service.pki.ServerCredentialStore;
import dev.fleetkey.service.pki.ServerRawPublicKey;
import dev.fleetkey.service.system.AuditTrail;
import dev.fleetkey.service.templates.DeviceTemplate;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The fleet config bundle {@code GET /config} serves for a template version: made once, kept in
 * {@code endpoint_fleet_bundles}, so every device of the product line gets the same bytes (and ETag) until it
 * expires. Minimal on purpose (servers, the endpoint's pins and the Fleetkey root, DTLS policy, no secret):
 * the firmware feature's fleet bundles replace it once merged.
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
    private final SecureRandom random = new SecureRandom();

    EndpointFleetBundles(JdbcClient jdbc, BundleSigner signer, CertificateAuthorities authorities,
                         ServerCredentialStore serverCredentials, AuditTrail audit) {
        this.jdbc = jdbc;
        this.signer = signer;
        this.authorities = authorities;
        this.serverCredentials = serverCredentials;
        this.audit = audit;
    }

    /** The newest unexpired fleet bundle of {@code template}'s version, made now if there is none. */
    @Transactional
    Stored newest(DeviceTemplate template, Instant now) {
        Optional<Stored> stored = jdbc.sql("""
                SELECT sequence_number, signed_bundle FROM endpoint_fleet_bundles
                WHERE product_line = :line AND template_version = :version AND not_after > :now
                ORDER BY sequence_number DESC FETCH FIRST 1 ROWS ONLY""")
                .param("line", template.id()).param("version", template.version()).param("now", utc(now))
                .query((rs, n) -> new Stored(rs.getLong(1), rs.getBytes(2))).optional();
        return stored.orElseGet(() -> issue(template, now));
    }

    private Stored issue(DeviceTemplate template, Instant now) {
        // two first requests racing for one product line: the loser fails on the primary key (5.00) and the
        // device's next request gets the winner's bundle
        long sequence = jdbc.sql("SELECT COALESCE(MAX(sequence_number), 0) + 1 FROM endpoint_fleet_bundles"
                + " WHERE product_line = :line").param("line", template.id()).query(Long.class).single();
        byte[] bundleId = new byte[16];
        random.nextBytes(bundleId);
        BundlePayload payload = new BundlePayload(BundlePayload.FORMAT_VERSION, BundleKind.FLEET, bundleId, sequence,
                now, now.plus(template.bundle().validity()), null, new TemplateRef(template.id(), template.version()),
                servers(template), new DtlsPolicy(template.dtls().initialRetransmission(), template.dtls().resumption(),
                        template.dtls().connectionId()), false);
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

    private List<ServerEntry> servers(DeviceTemplate template) {
        List<ServerEntry> servers = new ArrayList<>();
        for (DeviceTemplate.Server server : template.servers()) {
            servers.add(switch (server.mode()) {
                case PSK -> new ServerEntry(server.name(), server.uri(), server.host(), CredentialMode.PSK,
                        List.of(CipherSuite.TLS_PSK_WITH_AES_128_CCM_8), new ServerCredentials.Psk(null, null));
                case RPK -> {
                    ServerRawPublicKey key = serverCredentials.rawPublicKeyFor(server.name(), server.host());
                    yield new ServerEntry(server.name(), server.uri(), server.host(), CredentialMode.RAW_PUBLIC_KEY,
                            List.of(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8), new ServerCredentials.RawPublicKey(
                                    null, null, List.of(key.subjectPublicKeyInfo()), List.of(key.fingerprint())));
                }
                case X509 -> new ServerEntry(server.name(), server.uri(), server.host(), CredentialMode.X509,
                        List.of(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8),
                        new ServerCredentials.Certificates(null, List.of(), List.of(rootDer())));
            });
        }
        return servers;
    }

    private byte[] rootDer() {
        try {
            return authorities.rootCertificate().getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("the root certificate cannot be encoded", e);
        }
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
