package dev.fleetkey.service.pki;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code fleetkey.keys.*}: where the service's own keys live. Checked once at start-up; errors name the bad value.
 *
 * @param provider {@code pkcs12} (default: {@code keystore.p12} in the data directory, passphrase from
 *                 {@code FLEETKEY_KEYSTORE_PASSWORD}) or {@code pkcs11} (a token reached through the JDK's
 *                 SunPKCS11 provider; every private key is made in the token and never leaves it)
 * @param pkcs11   the token, read only when {@code provider} is {@code pkcs11}
 */
@ConfigurationProperties("fleetkey.keys")
public record KeysProperties(@DefaultValue("pkcs12") Provider provider, @DefaultValue Pkcs11 pkcs11) {

    /** The key vault implementations. */
    public enum Provider { PKCS12, PKCS11 }

    public KeysProperties {
        if (provider == null) {
            throw new IllegalArgumentException("fleetkey.keys.provider is empty: set pkcs12 (the default) or pkcs11");
        }
        if (provider == Provider.PKCS11) {
            pkcs11.check();
        }
    }

    /**
     * {@code fleetkey.keys.pkcs11.*}.
     *
     * @param library       the PKCS#11 module, e.g. {@code /usr/lib/softhsm/libsofthsm2.so}
     * @param slot          the token's slot ID (as {@code pkcs11-tool -L} or {@code softhsm2-util --show-slots}
     *                      print it); mutually exclusive with {@code slotListIndex}
     * @param slotListIndex the token's position in the module's slot list (default 0 when no slot is given)
     * @param pinVariable   the environment variable holding the user PIN (default {@code FLEETKEY_PKCS11_PIN}); the
     *                      PIN itself is never a property, never in a file of the repository, never logged
     */
    public record Pkcs11(Path library, Long slot, Integer slotListIndex,
            @DefaultValue("FLEETKEY_PKCS11_PIN") String pinVariable) {

        private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

        void check() {
            if (library == null) {
                throw new IllegalArgumentException("fleetkey.keys.provider is pkcs11 but fleetkey.keys.pkcs11.library "
                        + "is not set: give the path of the token's PKCS#11 module, e.g. /usr/lib/softhsm/libsofthsm2.so");
            }
            if (!Files.isRegularFile(library) || !Files.isReadable(library)) {
                throw new IllegalArgumentException("fleetkey.keys.pkcs11.library is " + library + ", which is not a "
                        + "readable file: give the path of the token's PKCS#11 module");
            }
            if (slot != null && slotListIndex != null) {
                throw new IllegalArgumentException("fleetkey.keys.pkcs11.slot (" + slot + ") and slot-list-index ("
                        + slotListIndex + ") are both set: give one of them");
            }
            if (slot != null && slot < 0 || slotListIndex != null && slotListIndex < 0) {
                throw new IllegalArgumentException("fleetkey.keys.pkcs11.slot / slot-list-index must not be negative "
                        + "(slot " + slot + ", slot-list-index " + slotListIndex + ")");
            }
            if (pinVariable == null || !VARIABLE.matcher(pinVariable).matches()) {
                throw new IllegalArgumentException("fleetkey.keys.pkcs11.pin-variable is '" + pinVariable + "': give the"
                        + " name of the environment variable that holds the PIN (default FLEETKEY_PKCS11_PIN)");
            }
        }

        /** The slot as the SunPKCS11 configuration names it. */
        String slotSetting() {
            return slot != null ? "slot = " + slot : "slotListIndex = " + (slotListIndex == null ? 0 : slotListIndex);
        }

        /** The slot in words, for messages and health details. */
        String slotDescription() {
            return slot != null ? "slot " + slot : "slot list index " + (slotListIndex == null ? 0 : slotListIndex);
        }
    }
}
