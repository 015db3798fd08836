package dev.fleetkey.service.firmware;

import dev.fleetkey.bundle.Sha256;
import dev.fleetkey.service.audit.AuditTrail;
import dev.fleetkey.service.system.InvalidFieldException;
import dev.fleetkey.service.system.NotFoundException;
import dev.fleetkey.service.system.StateConflictException;
import dev.fleetkey.service.templates.DeviceTemplate;
import dev.fleetkey.service.templates.TemplateCatalog;
import java.security.KeyFactory;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * What a product line's fleet bundles tell devices to trust, per server: trust anchors for certificate
 * servers and key pins for raw public key servers. Rotation is operational: add the new anchor (or pin),
 * package a release, and only after the fleet has it remove the old one and package again; the
 * packager refuses a release that would break the rotation rules.
 */
@Service
public class FleetTrust {

    /** The two kinds of trust a fleet bundle carries. */
    public enum Kind { ANCHOR, PIN }

    /**
     * One row.
     *
     * @param der the anchor certificate's DER, or the pin (SHA-256 of the server's SubjectPublicKeyInfo)
     * @param fingerprint hex SHA-256 of the anchor's DER, or the pin in hex
     */
    public record Entry(long id, String productLine, String server, Kind kind, byte[] der, String fingerprint,
                        Instant addedAt) {
    }

    private final JdbcClient jdbc;
    private final TemplateCatalog templates;
    private final AuditTrail audit;

    FleetTrust(JdbcClient jdbc, TemplateCatalog templates, AuditTrail audit) {
        this.jdbc = jdbc;
        this.templates = templates;
        this.audit = audit;
    }

    public List<Entry> list(String productLine) {
        return jdbc.sql("""
                SELECT id, product_line, server_name, kind, der, fingerprint, added_at FROM fleet_trust
                WHERE product_line = :line ORDER BY server_name, kind, id""")
                .param("line", productLine)
                .query((rs, n) -> new Entry(rs.getLong("id"), rs.getString("product_line"), rs.getString("server_name"),
                        Kind.valueOf(rs.getString("kind")), rs.getBytes("der"), rs.getString("fingerprint"),
                        rs.getObject("added_at", OffsetDateTime.class).toInstant()))
                .list();
    }

    /** The DER values of one server's rows of one kind, oldest first. */
    List<byte[]> values(String productLine, String server, Kind kind) {
        return list(productLine).stream().filter(e -> e.server().equals(server) && e.kind() == kind)
                .map(Entry::der).toList();
    }

    public Entry addAnchor(String productLine, String server, X509Certificate anchor) {
        requireServer(productLine, server, DeviceTemplate.Mode.X509);
        try {
            byte[] der = anchor.getEncoded();
            return insert(productLine, server, Kind.ANCHOR, der, Sha256.hex(der));
        } catch (CertificateEncodingException e) {
            throw new InvalidFieldException("certificate", "the certificate cannot be encoded: " + e.getMessage());
        }
    }

    /** Pins a server key, given as its SubjectPublicKeyInfo DER or as the 32-byte SHA-256 pin itself. */
    public Entry addPin(String productLine, String server, byte[] spkiOrPin) {
        requireServer(productLine, server, DeviceTemplate.Mode.RPK);
        byte[] pin = spkiOrPin;
        if (spkiOrPin.length != 32) {
            try {
                KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(spkiOrPin));
            } catch (java.security.GeneralSecurityException e) {
                throw new InvalidFieldException("publicKey", "not an EC SubjectPublicKeyInfo (DER, base64) nor a"
                        + " 32-byte SHA-256 pin");
            }
            pin = Sha256.digest(spkiOrPin);
        }
        return insert(productLine, server, Kind.PIN, pin, HexFormat.of().formatHex(pin));
    }

    public void remove(String productLine, String server, Kind kind, String fingerprint) {
        int removed = jdbc.sql("""
                DELETE FROM fleet_trust WHERE product_line = :line AND server_name = :server AND kind = :kind
                AND fingerprint = :fp""")
                .param("line", productLine).param("server", server).param("kind", kind.name())
                .param("fp", fingerprint.toLowerCase()).update();
        if (removed == 0) {
            throw new NotFoundException("No " + kind.name().toLowerCase() + " " + fingerprint + " for server '" + server
                    + "' of product line " + productLine);
        }
        audit.record("fleet-trust.removed", productLine + "/" + server + " " + kind.name().toLowerCase() + ":" + fingerprint);
    }

    private Entry insert(String productLine, String server, Kind kind, byte[] der, String fingerprint) {
        if (list(productLine).stream().anyMatch(e -> e.server().equals(server) && e.kind() == kind
                && e.fingerprint().equals(fingerprint))) {
            throw new StateConflictException("already-trusted", "server '" + server + "' of " + productLine + " already has "
                    + kind.name().toLowerCase() + " " + fingerprint);
        }
        jdbc.sql("""
                INSERT INTO fleet_trust (product_line, server_name, kind, der, fingerprint, added_at)
                VALUES (:line, :server, :kind, :der, :fp, :at)""")
                .param("line", productLine).param("server", server).param("kind", kind.name()).param("der", der)
                .param("fp", fingerprint).param("at", Instant.now().atOffset(ZoneOffset.UTC)).update();
        audit.record("fleet-trust.added", productLine + "/" + server + " " + kind.name().toLowerCase() + ":" + fingerprint);
        return list(productLine).stream().filter(e -> e.server().equals(server) && e.fingerprint().equals(fingerprint)
                && e.kind() == kind).findFirst().orElseThrow();
    }

    private void requireServer(String productLine, String server, DeviceTemplate.Mode mode) {
        boolean known = templates.all().stream().filter(t -> t.id().equals(productLine))
                .flatMap(t -> t.server(server).stream()).anyMatch(s -> s.mode() == mode);
        if (!known) {
            throw new NotFoundException("No template of product line '" + productLine + "' has a "
                    + mode.yamlName() + " server named '" + server + "'");
        }
    }
}
