package dev.fleetkey.service.templates;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A product line: what every device provisioned from it holds. Loaded from a YAML file in
 * {@code fleetkey.templates-dir}; {@link TemplateParser} checks every field.
 */
public record DeviceTemplate(String id, int version, String description, List<Server> servers, Dtls dtls,
        BundleSettings bundle, ReprovisionPolicy reprovisionPolicy) {

    public DeviceTemplate {
        servers = List.copyOf(servers);
    }

    /** {@code id@version}, the form the API accepts and prints. */
    public String reference() {
        return id + "@" + version;
    }

    public Optional<Server> server(String name) {
        return servers.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** How a device authenticates to one server. */
    public enum Mode {
        PSK("psk"), RPK("rpk"), X509("x509");

        private final String yamlName;

        Mode(String yamlName) {
            this.yamlName = yamlName;
        }

        public String yamlName() {
            return yamlName;
        }
    }

    /** How a device's PSK identity is chosen. */
    public enum IdentityKind {
        /** Random opaque bytes, unique across the service; reveals nothing about the device. */
        RANDOM("random"),
        /** The device's 8 EUI-64 bytes; readable in server logs, but links the identity to the hardware. */
        EUI64("eui64");

        private final String yamlName;

        IdentityKind(String yamlName) {
            this.yamlName = yamlName;
        }

        public String yamlName() {
            return yamlName;
        }
    }

    /** What to do when a device that exists is provisioned again. */
    public enum ReprovisionPolicy {
        FAIL("fail"), RETURN_EXISTING("return-existing"), REPLACE("replace");

        private final String yamlName;

        ReprovisionPolicy(String yamlName) {
            this.yamlName = yamlName;
        }

        public String yamlName() {
            return yamlName;
        }
    }

    /**
     * One server the device talks to.
     *
     * @param host the name matched against the server and sent as SNI; defaults to the URI's host
     * @param psk  PSK settings, present exactly when {@code mode} is {@link Mode#PSK}
     */
    public record Server(String name, URI uri, String host, Mode mode, Psk psk) {
    }

    /**
     * @param keyLength      PSK length in bytes (16..64)
     * @param identityLength random identity length in bytes (8..64); unused for EUI-64 identities
     */
    public record Psk(int keyLength, IdentityKind identity, int identityLength) {
    }

    /** DTLS settings handed to the device (RFC 7925 defaults: 9 s, resumption on, no connection ID). */
    public record Dtls(Duration initialRetransmission, boolean resumption, boolean connectionId) {
    }

    /** @param allowUnencryptedSecrets whether bundles may carry keys in clear (demo and lab use only) */
    public record BundleSettings(Duration validity, boolean allowUnencryptedSecrets) {
    }
}
