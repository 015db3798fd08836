package dev.fleetkey.service.credentials;

/** How a device's PSK identity is made, as a template chooses. */
public sealed interface PskIdentityScheme permits PskIdentityScheme.Random, PskIdentityScheme.Eui64Pattern,
        PskIdentityScheme.Eui64Bytes {

    /** The default: 16 random opaque bytes, no structure a device or attacker could rely on. */
    static PskIdentityScheme defaultScheme() {
        return new Random(16);
    }

    /**
     * Random opaque bytes.
     *
     * @param length 8 to 64 bytes; 16 makes a collision in a fleet of a billion devices about 1 in 10^20
     */
    record Random(int length) implements PskIdentityScheme {
        public Random {
            if (length < 8 || length > 64) {
                throw new IllegalArgumentException("Random PSK identity length " + length
                        + " is out of range: choose 8 to 64 bytes");
            }
        }
    }

    /**
     * A readable identity derived from the EUI-64, in UTF-8. Placeholders: {@code {eui64}} (compact,
     * {@code 001122fffe334455}) and {@code {eui64-canonical}} ({@code 00-11-22-FF-FE-33-44-55}); the pattern
     * must contain one so that identities differ per device.
     *
     * @param pattern e.g. {@code "dev-{eui64}"}
     */
    record Eui64Pattern(String pattern) implements PskIdentityScheme {
        public static final String COMPACT = "{eui64}";
        public static final String CANONICAL = "{eui64-canonical}";
        static final int MAX_IDENTITY_BYTES = 128;

        public Eui64Pattern {
            if (pattern == null || !(pattern.contains(COMPACT) || pattern.contains(CANONICAL))) {
                throw new IllegalArgumentException("PSK identity pattern '" + pattern + "' must contain "
                        + COMPACT + " or " + CANONICAL + " so that each device gets its own identity");
            }
            if (pattern.length() > MAX_IDENTITY_BYTES - 16) {
                throw new IllegalArgumentException("PSK identity pattern is too long: keep identities under "
                        + MAX_IDENTITY_BYTES + " bytes");
            }
        }
    }

    /**
     * The device's 8 EUI-64 bytes as the identity: readable in server logs, but it links the identity to the
     * hardware, and a device can never be given a second identity (identities are not reused).
     */
    record Eui64Bytes() implements PskIdentityScheme {
    }
}
