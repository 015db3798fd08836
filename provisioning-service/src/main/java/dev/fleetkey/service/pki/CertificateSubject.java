package dev.fleetkey.service.pki;

import java.util.Locale;
import java.util.regex.Pattern;

import dev.fleetkey.bundle.Eui64;

/** Whom a certificate names: a device by its EUI-64 or a server by its FQDN. */
public sealed interface CertificateSubject permits CertificateSubject.Device, CertificateSubject.Server {

    /** The subject's name as it appears in the subject CN. */
    String commonName();

    /** A device, named by its EUI-64 (CN canonical form, SAN RFC 9039 URN). */
    record Device(Eui64 eui64) implements CertificateSubject {
        @Override
        public String commonName() {
            return eui64.canonical();
        }
    }

    /**
     * A DTLS server, named by the DNS name devices dial (RFC 6125 matching). Stored lower-case.
     *
     * @param fqdn letters, digits and hyphens in dot-separated labels; no wildcards, no IP addresses
     */
    record Server(String fqdn) implements CertificateSubject {
        private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
        private static final Pattern IPV4 = Pattern.compile("[0-9.]+");

        public Server {
            fqdn = validate(fqdn);
        }

        @Override
        public String commonName() {
            return fqdn;
        }

        private static String validate(String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("A server certificate needs the server's DNS name");
            }
            String lower = name.trim().toLowerCase(Locale.ROOT);
            if (lower.endsWith(".")) {
                lower = lower.substring(0, lower.length() - 1);
            }
            if (IPV4.matcher(lower).matches() || lower.contains(":")) {
                throw new IllegalArgumentException("Server name '" + name + "' is an IP address: server certificates "
                        + "name the DNS host devices dial (e.g. coap.example.com)");
            }
            if (lower.length() > 253) {
                throw new IllegalArgumentException("Server name is longer than the 253 characters a DNS name may have");
            }
            for (String label : lower.split("\\.", -1)) {
                if (!LABEL.matcher(label).matches()) {
                    throw new IllegalArgumentException("Server name '" + name + "' is not a DNS name: each dot-separated "
                            + "label must be 1-63 letters, digits or inner hyphens (no wildcards)");
                }
            }
            return lower;
        }
    }
}
