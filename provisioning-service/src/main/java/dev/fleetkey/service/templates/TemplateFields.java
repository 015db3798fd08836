package dev.fleetkey.service.templates;

import dev.fleetkey.service.templates.TemplateField.Condition;
import dev.fleetkey.service.templates.TemplateField.Kind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Every field of a template, in the order the reference lists them. {@link TemplateParser} knows a field only
 * if it is here (an unlisted one is refused as unknown) and takes defaults and limits from here;
 * {@link TemplateSchema} and the field reference in {@code templates/README.md} are made from this table.
 */
public final class TemplateFields {

    private static final List<String> PSK = List.of("psk");
    private static final List<String> X509 = List.of("x509");

    private static final List<TemplateField> ALL = List.of(
            field("id", Kind.NAME).required().example("demo-sensor")
                    .about("The product line's name. Devices are provisioned from `id@version`."),
            field("version", Kind.INTEGER).required().range("1", "2147483647").example("1")
                    .about("The template's version. A changed template needs a higher version; devices keep the"
                            + " version they were provisioned from."),
            field("description", Kind.TEXT).defaults("").example("Demo sensor with one PSK server")
                    .about("Free text shown in the UI."),
            field("servers", Kind.LIST).required().range("1", "8")
                    .about("The servers a device talks to, each with its own credential mode."),
            field("servers[].name", Kind.NAME).required().example("fleetkey")
                    .about("The server's name, unique within the template; bundles and exports refer to it."),
            field("servers[].uri", Kind.COAPS_URI).required().example("coaps://localhost:5684")
                    .about("Where the device connects: `coaps://host:port`, without path, query or user."),
            field("servers[].host", Kind.TEXT).example("device.example.com")
                    .about("The name the device matches against the server's certificate and sends as SNI."
                            + " Left out: the host of `uri`."),
            field("servers[].mode", Kind.CHOICE).required().allowed("psk", "rpk", "x509").example("psk")
                    .about("How the device authenticates: pre-shared key (RFC 4279), raw public key (RFC 7250) or"
                            + " X.509 certificate with the EUI-64 (RFC 7925 section 4.4)."),
            field("servers[].psk", Kind.MAPPING).modes(PSK).onlyWhen("mode", "psk")
                    .about("How the PSK and its identity are made. Left out: a random 16-byte key and a random"
                            + " 16-byte identity."),
            field("servers[].psk.key-length", Kind.INTEGER).defaults("16").range("16", "64").modes(PSK).example("32")
                    .about("Length of the PSK in bytes; RFC 7925 asks for at least 128 bits."),
            field("servers[].psk.identity", Kind.CHOICE).defaults("random")
                    .allowed("random", "eui64", "pattern", "diversified").modes(PSK).example("eui64")
                    .about("How the PSK identity is chosen: `random` opaque bytes (reveal nothing), `eui64` (the"
                            + " device's 8 EUI-64 bytes), `pattern` (text from `identity-pattern`) or `diversified`"
                            + " (`v<key-version>:<eui64>`, key derived from the batch master key)."),
            field("servers[].psk.identity-length", Kind.INTEGER).defaults("16").range("8", "64").modes(PSK)
                    .onlyWhen("identity", "random").example("24")
                    .about("Length of a random identity in bytes."),
            field("servers[].psk.identity-pattern", Kind.TEXT).required().modes(PSK).onlyWhen("identity", "pattern")
                    .example("dev-{eui64}")
                    .about("The identity text; must contain `{eui64}` (`001122fffe334455`) or `{eui64-canonical}`"
                            + " (`00-11-22-FF-FE-33-44-55`), at most 112 characters."),
            field("servers[].psk.batch", Kind.NAME).modes(PSK).onlyWhen("identity", "diversified").example("line-3")
                    .about("The batch whose master key the PSKs are derived from. Left out: the template's id."),
            field("servers[].psk.key-version", Kind.INTEGER).defaults("1").range("1", "1000000").modes(PSK)
                    .onlyWhen("identity", "diversified").example("2")
                    .about("The first key version of diversified keys; a rotation moves to the next."),
            field("dtls", Kind.MAPPING)
                    .about("DTLS settings handed to the device; left out, the RFC 7925 defaults."),
            field("dtls.initial-retransmission", Kind.DURATION).defaults("9s").range("100ms", "60s").example("2s")
                    .about("The first retransmission timeout (RFC 7925 section 11 recommends 9s)."),
            field("dtls.resumption", Kind.BOOLEAN).defaults("true").example("false")
                    .about("Whether the device resumes sessions (abbreviated handshakes) instead of full ones."),
            field("dtls.connection-id", Kind.BOOLEAN).defaults("false").example("true")
                    .about("Whether the device negotiates a DTLS Connection ID (RFC 9146, beyond the profile)."),
            field("bundle", Kind.MAPPING).about("How device credential bundles are made."),
            field("bundle.validity", Kind.DURATION).defaults("365d").range("1h", "36500d").example("730d")
                    .about("How long a bundle is valid after it is made."),
            field("bundle.allow-unencrypted-secrets", Kind.BOOLEAN).defaults("false").example("true")
                    .about("Whether bundles may carry keys in clear instead of sealed to the station (demo and lab"
                            + " use only)."),
            field("reprovision-policy", Kind.CHOICE).defaults("fail").allowed("fail", "return-existing", "replace")
                    .example("return-existing")
                    .about("What provisioning a device that exists does: `fail`, `return-existing` (the same"
                            + " credentials) or `replace` (new credentials, the old ones revoked)."),
            field("credentials", Kind.MAPPING).about("How device credentials are made."),
            field("credentials.certificate-validity", Kind.DURATION).defaults("3650d").range("1h", "10950d")
                    .modes(List.of("x509")).example("730d")
                    .about("How long a device client certificate is valid."),
            field("credentials.renew-before", Kind.DURATION).range("1h", "3649d").modes(List.of("x509"))
                    .example("30d")
                    .about("How long before a device certificate expires the device renews it (`fleetkey-device renew`,"
                            + " EST `/sren`); device bundles carry it, and `connect` and `checkin` warn once it has"
                            + " begun. Left out: no renewal period."),
            field("credentials.crl-distribution-point", Kind.BOOLEAN).defaults("false").modes(List.of("x509"))
                    .example("true")
                    .about("Whether device certificates carry a CRL distribution point: the URL of the device CA's"
                            + " revocation list under the service setting `fleetkey.public-base-url`, which must then be"
                            + " set."),
            field("credentials.retain-private-keys", Kind.BOOLEAN).defaults("true").modes(List.of("rpk", "x509"))
                    .example("false")
                    .about("Whether the service keeps a device private key it made after the first bundle carrying"
                            + " it was delivered; `false` deletes it then."),
            field("est", Kind.MAPPING).modes(X509)
                    .about("Certificate enrollment over the device endpoint (EST-coaps, RFC 9148, under"
                            + " `/.well-known/est`): who may get a certificate for the template's x509 servers."),
            field("est.re-enroll", Kind.BOOLEAN).defaults("true").modes(X509).example("false")
                    .about("Whether a device holding a credential Fleetkey issued may renew its certificate (`/sren`,"
                            + " or `/sen` over that session) for a new key it made."),
            field("est.overlap", Kind.DURATION).defaults("7d").range("0s", "365d").modes(X509).example("1d")
                    .about("How long the certificate an enrollment replaces keeps working, so the device can switch"
                            + " once its new one has completed a handshake."),
            field("est.factory-cas", Kind.TEXT).modes(X509).example("-----BEGIN CERTIFICATE-----"
                    + "MIIBWjCCAQCgAwIBAgIUCUOfBJDpK4DzhJiLYvmzY3lnDhswCgYIKoZIzj0EAwIwEjEQMA4GA1UECgwHRXhhbXBsZTAgFw0y"
                    + "NjEyMDMxMDQxNTZaGA8yMTI2MTEwOTEwNDE1NlowEjEQMA4GA1UECgwHRXhhbXBsZTBZMBMGByqGSM49AgEGCCqGSM49AwEH"
                    + "A0IABJ8vzIDp9WFhGsmGevITSD9hTwPK0U/tMxG01OwvJ+iojcaM7Iml6nj0L4yzOw7Fk1zwjbeDQtv6f/fpJKYI4lWjMjAw"
                    + "MA8GA1UdEwEB/wQFMAMBAf8wHQYDVR0OBBYEFJ7qV+5kgm3xvcZUUadsDepNmRMqMAoGCCqGSM49BAMCA0gAMEUCIQCpXgCs"
                    + "2x0QoLiVMVnS0BYcciQ7EmfngCy4w9OPGmfDRAIgS1Fdl6mYixgk3RP1pv30JYWQ2N4CDBfhwjwxJadks0c="
                    + "-----END CERTIFICATE-----")
                    .about("PEM certificates of the manufacturer CAs whose factory certificates (IDevIDs with the"
                            + " EUI-64 in subject CN or SAN `urn:dev:mac:`) may enroll with `/sen`; line breaks"
                            + " are optional, so a YAML block (`|`) or one line both work. Left out: no factory"
                            + " enrollment."),
            field("est.unknown-devices", Kind.CHOICE).defaults("refuse").allowed("refuse", "provision").modes(X509)
                    .example("provision")
                    .about("What a factory certificate of a device never provisioned gets: `refuse` (a station"
                            + " provisions it first) or `provision` (the device is created from this template at"
                            + " its first enrollment)."),
            field("est.server-keys", Kind.CHOICE).defaults("off").allowed("off", "sealed", "clear").modes(X509)
                    .example("sealed")
                    .about("Server-side key generation (`/skg`): `off`, `sealed` (the private key comes back in CMS"
                            + " sealed to the key the device authenticated with) or `clear` (PKCS#8 protected only by"
                            + " the DTLS session; lab use)."))
            .stream().map(Builder::build).toList();

    private TemplateFields() {
    }

    public static List<TemplateField> all() {
        return ALL;
    }

    /** The fields directly inside the mapping at {@code path} ({@code ""} for the document, {@code servers[]}). */
    public static List<TemplateField> inside(String path) {
        return ALL.stream().filter(f -> f.parent().equals(path)).toList();
    }

    /** The field at a path as the parser names it, {@code servers[2].psk.batch} included. */
    public static Optional<TemplateField> find(String path) {
        String general = path.replaceAll("\\[\\d+]", "[]");
        return ALL.stream().filter(f -> f.path().equals(general)).findFirst();
    }

    static TemplateField at(String path) {
        return find(path).orElseThrow(() -> new IllegalStateException("TemplateFields lists no field " + path));
    }

    private static Builder field(String path, Kind kind) {
        return new Builder(path, kind);
    }

    private static final class Builder {
        private final String path;
        private final Kind kind;
        private boolean required;
        private String defaultValue;
        private List<String> allowed = List.of();
        private String min;
        private String max;
        private List<String> modes = List.of();
        private Condition onlyWhen;
        private String example;
        private String description;

        Builder(String path, Kind kind) {
            this.path = path;
            this.kind = kind;
        }

        Builder required() {
            required = true;
            return this;
        }

        Builder defaults(String value) {
            defaultValue = value;
            return this;
        }

        Builder allowed(String... values) {
            allowed = new ArrayList<>(Arrays.asList(values));
            return this;
        }

        Builder range(String from, String to) {
            min = from;
            max = to;
            return this;
        }

        Builder modes(List<String> serverModes) {
            modes = serverModes;
            return this;
        }

        Builder onlyWhen(String sibling, String value) {
            onlyWhen = new Condition(sibling, value);
            return this;
        }

        Builder example(String value) {
            example = value;
            return this;
        }

        Builder about(String text) {
            description = text;
            return this;
        }

        TemplateField build() {
            return new TemplateField(path, kind, required, defaultValue, allowed, min, max, modes, onlyWhen, example,
                    description);
        }
    }
}
