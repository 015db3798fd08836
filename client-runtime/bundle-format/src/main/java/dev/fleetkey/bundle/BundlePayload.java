package dev.fleetkey.bundle;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The signed content of a bundle. See {@code firmware-bundles/FORMAT.md} for the wire form.
 *
 * @param formatVersion the payload format version; this code reads and writes {@link #FORMAT_VERSION}
 * @param kind device credentials or fleet configuration
 * @param bundleId 16 random bytes naming this bundle
 * @param sequence monotonic per device and kind (per product line for fleet bundles)
 * @param issuedAt when the bundle was made
 * @param notAfter after this instant the bundle is refused
 * @param device the device a device bundle is bound to; null for a fleet bundle
 * @param template the template (and version) the bundle was made from
 * @param servers the servers, in the template's order
 * @param dtlsPolicy how to run DTLS with them
 * @param secretsInClear true when secrets travel unencrypted (development templates only)
 * @param sealedSecrets the device's secrets encrypted for a recipient (DER CMS AuthEnvelopedData, see
 *     {@link BundleSecrets}), or null; when present the server credentials carry no secret
 * @param renewBefore how long before a client certificate's notAfter the device should renew it (the template's
 *     {@code renew-before}); null when the template sets none. Advisory: a reader that does not know it ignores it
 */
public record BundlePayload(int formatVersion, BundleKind kind, byte[] bundleId, long sequence, Instant issuedAt,
                            Instant notAfter, Eui64 device, TemplateRef template, List<ServerEntry> servers,
                            DtlsPolicy dtlsPolicy, boolean secretsInClear, byte[] sealedSecrets, Duration renewBefore) {

    /** The format version this code writes. */
    public static final int FORMAT_VERSION = 1;

    /** A payload without sealed secrets (fleet bundles, clear development bundles, or before sealing). */
    public BundlePayload(int formatVersion, BundleKind kind, byte[] bundleId, long sequence, Instant issuedAt,
                         Instant notAfter, Eui64 device, TemplateRef template, List<ServerEntry> servers,
                         DtlsPolicy dtlsPolicy, boolean secretsInClear) {
        this(formatVersion, kind, bundleId, sequence, issuedAt, notAfter, device, template, servers, dtlsPolicy,
                secretsInClear, null);
    }

    /** A payload without a renewal period. */
    public BundlePayload(int formatVersion, BundleKind kind, byte[] bundleId, long sequence, Instant issuedAt,
                         Instant notAfter, Eui64 device, TemplateRef template, List<ServerEntry> servers,
                         DtlsPolicy dtlsPolicy, boolean secretsInClear, byte[] sealedSecrets) {
        this(formatVersion, kind, bundleId, sequence, issuedAt, notAfter, device, template, servers, dtlsPolicy,
                secretsInClear, sealedSecrets, null);
    }

    public BundlePayload {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(notAfter, "notAfter");
        Objects.requireNonNull(template, "template");
        Objects.requireNonNull(dtlsPolicy, "dtlsPolicy");
        // the wire carries whole seconds: keep the record equal to what a round trip gives back
        issuedAt = issuedAt.truncatedTo(ChronoUnit.SECONDS);
        notAfter = notAfter.truncatedTo(ChronoUnit.SECONDS);
        if (bundleId == null || bundleId.length != 16) {
            throw new IllegalArgumentException("bundle id must be 16 bytes");
        }
        bundleId = bundleId.clone();
        if (sequence < 0) {
            throw new IllegalArgumentException("sequence must be >= 0, was " + sequence);
        }
        if (!notAfter.isAfter(issuedAt)) {
            throw new IllegalArgumentException("notAfter " + notAfter + " must be after issuedAt " + issuedAt);
        }
        if (kind == BundleKind.DEVICE && device == null) {
            throw new IllegalArgumentException("a device bundle must name its device");
        }
        if (kind == BundleKind.FLEET && device != null) {
            throw new IllegalArgumentException("a fleet bundle must not be bound to a device");
        }
        servers = List.copyOf(servers == null ? List.of() : servers);
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("a bundle needs at least one server");
        }
        if (servers.stream().map(ServerEntry::name).distinct().count() != servers.size()) {
            throw new IllegalArgumentException("server names must be unique within a bundle");
        }
        if (kind == BundleKind.FLEET && servers.stream().anyMatch(s -> s.credentials().hasSecret())) {
            throw new IllegalArgumentException("a fleet bundle must not carry a per-device secret");
        }
        if (renewBefore != null && (renewBefore.isNegative() || renewBefore.getSeconds() < 1 || renewBefore.getNano() != 0)) {
            throw new IllegalArgumentException("renewBefore must be a positive whole number of seconds, was " + renewBefore);
        }
        sealedSecrets = Bytes.copy(sealedSecrets);
        if (sealedSecrets != null) {
            if (kind != BundleKind.DEVICE) {
                throw new IllegalArgumentException("only a device bundle carries sealed secrets");
            }
            if (secretsInClear || hasClearSecrets(servers)) {
                throw new IllegalArgumentException("a bundle with sealed secrets must not also carry secrets in clear");
            }
        }
    }

    /** A copy of the sealed secrets envelope, or null when the bundle has none. */
    @Override
    public byte[] sealedSecrets() {
        return Bytes.copy(sealedSecrets);
    }

    /** Whether the secrets travel sealed for a recipient; {@link BundleSecrets#open} reveals them. */
    public boolean hasSealedSecrets() {
        return sealedSecrets != null;
    }

    /** Whether any server's credentials hold a secret (PSK or private key) in clear. */
    public boolean hasClearSecrets() {
        return hasClearSecrets(servers);
    }

    private static boolean hasClearSecrets(List<ServerEntry> servers) {
        return servers.stream().anyMatch(s -> s.credentials().hasSecret());
    }

    /** This payload with other servers and secret fields (used when sealing and opening). */
    BundlePayload withSecrets(List<ServerEntry> newServers, boolean inClear, byte[] sealed) {
        return new BundlePayload(formatVersion, kind, bundleId, sequence, issuedAt, notAfter, device, template,
                newServers, dtlsPolicy, inClear, sealed, renewBefore);
    }

    @Override
    public byte[] bundleId() {
        return bundleId.clone();
    }

    /** The bundle id as 32 lower-case hex digits. */
    public String bundleIdHex() {
        return HexFormat.of().formatHex(bundleId);
    }

    /** When a client certificate valid until {@code notAfter} is due for renewal; empty without a renewal period. */
    public Optional<Instant> renewalDue(Instant certificateNotAfter) {
        return Optional.ofNullable(renewBefore).map(certificateNotAfter::minus);
    }

    /** The server named {@code name}, if the bundle has one. */
    public Optional<ServerEntry> server(String name) {
        return servers.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BundlePayload p && formatVersion == p.formatVersion && kind == p.kind
                && Arrays.equals(bundleId, p.bundleId) && sequence == p.sequence && issuedAt.equals(p.issuedAt)
                && notAfter.equals(p.notAfter) && Objects.equals(device, p.device) && template.equals(p.template)
                && servers.equals(p.servers) && dtlsPolicy.equals(p.dtlsPolicy) && secretsInClear == p.secretsInClear
                && Arrays.equals(sealedSecrets, p.sealedSecrets) && Objects.equals(renewBefore, p.renewBefore);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, Arrays.hashCode(bundleId), sequence, device, template);
    }

    @Override
    public String toString() {
        return "BundlePayload[" + kind + " " + bundleIdHex() + " seq " + sequence
                + (device == null ? "" : " for " + device) + " from " + template + ", " + servers.size() + " server(s)"
                + (sealedSecrets != null ? ", secrets sealed" : secretsInClear ? ", secrets in clear" : "") + "]";
    }
}
