package dev.fleetkey.service.stations;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A manufacturing station as stored: what it may provision, how fast, and the key its device bundles are
 * sealed to. The token itself is never part of it (only its hash is stored, in the repository).
 *
 * @param transportKey P-256 SubjectPublicKeyInfo DER, or null when bundles are not sealed to the station
 * @param tokenActive false once the token was revoked (until it is rotated)
 */
public record Station(long id, String name, List<String> allowedTemplates, int quotaPerMinute, byte[] transportKey,
        boolean enabled, boolean tokenActive, Instant createdAt, Instant tokenIssuedAt) {

    public Station {
        allowedTemplates = List.copyOf(allowedTemplates);
        transportKey = transportKey == null ? null : transportKey.clone();
    }

    @Override
    public byte[] transportKey() {
        return transportKey == null ? null : transportKey.clone();
    }

    /** The transport key, if bundles for this station are sealed. */
    public Optional<byte[]> transportKeySpki() {
        return Optional.ofNullable(transportKey());
    }

    /** Whether {@code templateId} (without version) is one this station may provision. */
    public boolean allows(String templateId) {
        return allowedTemplates.contains(templateId);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Station s && id == s.id && name.equals(s.name) && allowedTemplates.equals(s.allowedTemplates)
                && quotaPerMinute == s.quotaPerMinute && Arrays.equals(transportKey, s.transportKey)
                && enabled == s.enabled && tokenActive == s.tokenActive;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(id);
    }

    @Override
    public String toString() {
        return "Station[" + id + " " + name + " templates " + allowedTemplates + " quota " + quotaPerMinute + "/min"
                + (transportKey == null ? "" : " sealed") + (enabled ? "" : " disabled") + (tokenActive ? "" : " revoked") + "]";
    }
}
