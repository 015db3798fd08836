package dev.fleetkey.bundle.update;

import dev.fleetkey.bundle.Sha256;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One component as the signed manifest describes it: what it is, its size and its SHA-256 digest.
 *
 * @param role what the component is
 * @param name the device's canonical EUI-64 for a device bundle; null for the other roles
 * @param size the component's length in bytes
 * @param sha256 the SHA-256 digest of the component's bytes
 */
public record PackageComponent(ComponentRole role, String name, long size, byte[] sha256) {

    public PackageComponent {
        Objects.requireNonNull(role, "role");
        if ((role == ComponentRole.DEVICE_BUNDLE) != (name != null)) {
            throw new IllegalArgumentException("a device bundle component is named by its device, other components"
                    + " have no name (" + role + ", name " + name + ")");
        }
        if (name != null && name.isBlank()) {
            throw new IllegalArgumentException("component name must not be blank");
        }
        if (size < 0) {
            throw new IllegalArgumentException("component size must be >= 0, was " + size);
        }
        if (sha256 == null || sha256.length != 32) {
            throw new IllegalArgumentException("component digest must be 32 bytes (SHA-256)");
        }
        sha256 = sha256.clone();
    }

    /** The description of {@code bytes} in role {@code role}. */
    public static PackageComponent describe(ComponentRole role, String name, byte[] bytes) {
        return new PackageComponent(role, name, bytes.length, Sha256.digest(bytes));
    }

    /** Whether {@code bytes} are exactly the component this describes. */
    public boolean matches(byte[] bytes) {
        return bytes.length == size && MessageDigest.isEqual(sha256, Sha256.digest(bytes));
    }

    @Override
    public byte[] sha256() {
        return sha256.clone();
    }

    /** The digest as 64 lower-case hex digits. */
    public String sha256Hex() {
        return HexFormat.of().formatHex(sha256);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PackageComponent c && role == c.role && Objects.equals(name, c.name) && size == c.size
                && Arrays.equals(sha256, c.sha256);
    }

    @Override
    public int hashCode() {
        return Objects.hash(role, name, size, Arrays.hashCode(sha256));
    }

    @Override
    public String toString() {
        return role.name().toLowerCase().replace('_', '-') + (name == null ? "" : " " + name) + " (" + size
                + " bytes, sha256 " + sha256Hex() + ")";
    }
}
