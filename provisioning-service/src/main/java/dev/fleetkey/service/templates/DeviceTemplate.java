package dev.fleetkey.service.templates;

import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.boot.convert.DurationStyle;

/**
 * A product line: what every device provisioned from it holds. Loaded from a YAML file in
 * {@code fleetkey.templates-dir}; {@link TemplateParser} checks every field.
 */
public record DeviceTemplate(String id, int version, String description, List<Server> servers, Dtls dtls,
        BundleSettings bundle, ReprovisionPolicy reprovisionPolicy, CredentialSettings credentials, Est est) {

    public DeviceTemplate {
        servers = List.copyOf(servers);
        if (credentials == null) {
            credentials = CredentialSettings.defaults();
        }
        if (est == null) {
            est = Est.defaults();
        }
    }

    /** A template with default EST settings. */
    public DeviceTemplate(String id, int version, String description, List<Server> servers, Dtls dtls,
            BundleSettings bundle, ReprovisionPolicy reprovisionPolicy, CredentialSettings credentials) {
        this(id, version, description, servers, dtls, bundle, reprovisionPolicy, credentials, Est.defaults());
    }

    /** A template with default credential settings. */
    public DeviceTemplate(String id, int version, String description, List<Server> servers, Dtls dtls,
            BundleSettings bundle, ReprovisionPolicy reprovisionPolicy) {
        this(id, version, description, servers, dtls, bundle, reprovisionPolicy, CredentialSettings.defaults(),
                Est.defaults());
    }

    /** {@code id@version}, the form the API accepts and prints. */
    public String reference() {
        return id + "@" + version;
    }

    public Optional<Server> server(String name) {
        return servers.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** An enum written in template YAML by its name in lower case, {@code _} as {@code -} (return-existing). */
    public interface YamlNamed {

        String name();

        /** The name a template file uses. */
        default String yamlName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** How a device authenticates to one server. */
    public enum Mode implements YamlNamed {
        PSK, RPK, X509
    }

    /** How a device's PSK identity is chosen. */
    public enum IdentityKind implements YamlNamed {
        /** Random opaque bytes, unique across the service; reveals nothing about the device. */
        RANDOM,
        /** The device's 8 EUI-64 bytes; readable in server logs, but links the identity to the hardware. */
        EUI64,
        /** Text made from {@code identity-pattern}, e.g. {@code dev-{eui64}}. */
        PATTERN,
        /**
         * {@code v<key-version>:<eui64>}, with a key derived from the batch master key (HKDF), so a server
         * holding the master key can compute any device's key and a batch can be re-keyed by version.
         */
        DIVERSIFIED
    }

    /** What to do when a device that exists is provisioned again. */
    public enum ReprovisionPolicy implements YamlNamed {
        FAIL, RETURN_EXISTING, REPLACE
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
     * @param keyLength       PSK length in bytes (16..64)
     * @param identityLength  random identity length in bytes (8..64); unused for other identities
     * @param identityPattern the pattern of {@link IdentityKind#PATTERN} identities, else null
     * @param batch           the master-key batch of {@link IdentityKind#DIVERSIFIED} keys, else null
     * @param keyVersion      the first key version of diversified keys (a rotation moves to the next)
     */
    public record Psk(int keyLength, IdentityKind identity, int identityLength, String identityPattern, String batch,
            int keyVersion) {

        /** Random or EUI-64 identities. */
        public Psk(int keyLength, IdentityKind identity, int identityLength) {
            this(keyLength, identity, identityLength, null, null, 1);
        }
    }

    /**
     * How device credentials are made.
     *
     * @param certificateValidity how long a device client certificate is valid
     * @param retainPrivateKeys   whether the service keeps a device private key it made after the first bundle
     *                            carrying it was delivered; false deletes it then
     * @param renewBefore         how long before a device certificate expires the device renews it; null: no period
     * @param crlDistributionPoint whether device certificates carry the device CA's CRL URL
     */
    public record CredentialSettings(Duration certificateValidity, boolean retainPrivateKeys, Duration renewBefore,
            boolean crlDistributionPoint) {

        /** Settings without a renewal period or CRL distribution point. */
        public CredentialSettings(Duration certificateValidity, boolean retainPrivateKeys) {
            this(certificateValidity, retainPrivateKeys, null, false);
        }

        /** The renewal period, if the template sets one. */
        public Optional<Duration> renewalPeriod() {
            return Optional.ofNullable(renewBefore);
        }

        /** What a template without {@code credentials} gets, as {@link TemplateFields} documents it. */
        public static CredentialSettings defaults() {
            return new CredentialSettings(
                    DurationStyle.detectAndParse(TemplateFields.at("credentials.certificate-validity").defaultValue()),
                    Boolean.parseBoolean(TemplateFields.at("credentials.retain-private-keys").defaultValue()));
        }
    }

    /**
     * Who may enroll for a certificate over EST-coaps (RFC 9148) on the device endpoint.
     *
     * @param reEnroll       whether a device holding a Fleetkey credential may renew its certificate
     * @param overlap        how long a replaced certificate keeps working
     * @param factoryCas     manufacturer CAs whose factory certificates may enroll; empty: none
     * @param unknownDevices what a factory certificate of a device never provisioned gets
     * @param serverKeys     whether and how {@code /skg} returns a key pair the service made
     */
    public record Est(boolean reEnroll, Duration overlap, List<X509Certificate> factoryCas,
            UnknownDevices unknownDevices, ServerKeys serverKeys) {

        public Est {
            factoryCas = List.copyOf(factoryCas);
        }

        /** What a template without {@code est} gets, as {@link TemplateFields} documents it. */
        public static Est defaults() {
            return new Est(Boolean.parseBoolean(TemplateFields.at("est.re-enroll").defaultValue()),
                    DurationStyle.detectAndParse(TemplateFields.at("est.overlap").defaultValue()), List.of(),
                    UnknownDevices.REFUSE, ServerKeys.OFF);
        }
    }

    /** What enrolling with a factory certificate does for a device that was never provisioned. */
    public enum UnknownDevices {
        REFUSE("refuse"), PROVISION("provision");

        private final String yamlName;

        UnknownDevices(String yamlName) {
            this.yamlName = yamlName;
        }

        public String yamlName() {
            return yamlName;
        }
    }

    /** Server-side key generation over EST ({@code /skg}). */
    public enum ServerKeys {
        OFF("off"), SEALED("sealed"), CLEAR("clear");

        private final String yamlName;

        ServerKeys(String yamlName) {
            this.yamlName = yamlName;
        }

        public String yamlName() {
            return yamlName;
        }
    }

    /** DTLS settings handed to the device (RFC 7925 defaults: 9 s, resumption on, no connection ID). */
    public record Dtls(Duration initialRetransmission, boolean resumption, boolean connectionId) {
    }

    /** @param allowUnencryptedSecrets whether bundles may carry keys in clear (demo and lab use only) */
    public record BundleSettings(Duration validity, boolean allowUnencryptedSecrets) {
    }
}
