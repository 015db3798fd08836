package dev.fleetkey.service.templates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.fleetkey.service.TestService;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TemplateParserTest {

    private static final String FILE = "templates/broken.yaml";

    private static final String SERVER = """
              - name: fleetkey
                uri: coaps://localhost:5684
                mode: psk
            """;

    private static String template(String servers, String extra) {
        return "id: demo\nversion: 1\nservers:\n" + servers + extra;
    }

    private static DeviceTemplate parse(String yaml) {
        return TemplateParser.parse(FILE, yaml.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void committedDemoTemplateParsesWithItsDocumentedValues() throws Exception {
        byte[] demo = Files.readAllBytes(TestService.repositoryTemplates().resolve("demo-sensor.yaml"));

        DeviceTemplate t = TemplateParser.parse("templates/demo-sensor.yaml", demo);

        assertThat(t.reference()).isEqualTo("demo-sensor@1");
        assertThat(t.servers()).singleElement().satisfies(s -> {
            assertThat(s.name()).isEqualTo("fleetkey");
            assertThat(s.uri()).isEqualTo(URI.create("coaps://localhost:5684"));
            assertThat(s.host()).isEqualTo("localhost");
            assertThat(s.mode()).isEqualTo(DeviceTemplate.Mode.PSK);
            assertThat(s.psk()).isEqualTo(new DeviceTemplate.Psk(16, DeviceTemplate.IdentityKind.RANDOM, 16));
        });
        assertThat(t.dtls()).isEqualTo(new DeviceTemplate.Dtls(Duration.ofSeconds(9), true, false));
        assertThat(t.bundle()).isEqualTo(new DeviceTemplate.BundleSettings(Duration.ofDays(365), true));
        assertThat(t.reprovisionPolicy()).isEqualTo(DeviceTemplate.ReprovisionPolicy.FAIL);
    }

    @Test
    void omittedOptionalFieldsTakeTheProfileDefaults() {
        DeviceTemplate t = parse(template(SERVER, ""));

        assertThat(t.servers().get(0).psk()).isEqualTo(new DeviceTemplate.Psk(16, DeviceTemplate.IdentityKind.RANDOM, 16));
        assertThat(t.dtls()).isEqualTo(new DeviceTemplate.Dtls(Duration.ofSeconds(9), true, false));
        assertThat(t.bundle().validity()).isEqualTo(Duration.ofDays(365));
        assertThat(t.bundle().allowUnencryptedSecrets()).isFalse();
        assertThat(t.description()).isEmpty();
    }

    @Test
    void explicitHostOverridesTheUriHost() {
        DeviceTemplate t = parse(template("""
                  - name: fleetkey
                    uri: coaps://192.0.2.7:5684
                    host: device.example.com
                    mode: psk
                """, ""));

        assertThat(t.servers().get(0).host()).isEqualTo("device.example.com");
    }

    static Stream<Arguments> brokenTemplates() {
        return Stream.of(
                Arguments.of("http scheme", template(SERVER.replace("coaps://localhost:5684", "http://localhost:5684"), ""),
                        "servers[0].uri: must be coaps://host:port"),
                Arguments.of("no port", template(SERVER.replace("coaps://localhost:5684", "coaps://localhost"), ""),
                        "servers[0].uri: must be coaps://host:port"),
                Arguments.of("path in uri", template(SERVER.replace("5684", "5684/rd"), ""),
                        "servers[0].uri: must be coaps://host:port"),
                Arguments.of("missing id", "version: 1\nservers:\n" + SERVER, "id: is missing"),
                Arguments.of("upper-case id", template(SERVER, "").replace("id: demo", "id: Demo"),
                        "id: 'Demo' must be 1-64 characters"),
                Arguments.of("version zero", template(SERVER, "").replace("version: 1", "version: 0"),
                        "version: must be a whole number from 1"),
                Arguments.of("version text", template(SERVER, "").replace("version: 1", "version: one"),
                        "version: must be a whole number from 1"),
                Arguments.of("no servers", "id: demo\nversion: 1\n", "servers: is missing"),
                Arguments.of("empty servers", "id: demo\nversion: 1\nservers: []\n", "servers: must be a list of 1 to 8"),
                Arguments.of("missing mode", template(SERVER.replace("    mode: psk\n", ""), ""),
                        "servers[0].mode: is missing: choose one of psk, rpk, x509"),
                Arguments.of("unknown mode", template(SERVER.replace("mode: psk", "mode: tls"), ""),
                        "servers[0].mode: must be one of psk, rpk, x509"),
                Arguments.of("short key", template(SERVER + "    psk: {key-length: 8}\n", ""),
                        "servers[0].psk.key-length: must be a whole number from 16 to 64"),
                Arguments.of("long key", template(SERVER + "    psk: {key-length: 65}\n", ""),
                        "servers[0].psk.key-length: must be a whole number from 16 to 64"),
                Arguments.of("unknown identity kind", template(SERVER + "    psk: {identity: serial}\n", ""),
                        "servers[0].psk.identity: must be one of random, eui64, pattern, diversified"),
                Arguments.of("length with eui64 identity",
                        template(SERVER + "    psk: {identity: eui64, identity-length: 12}\n", ""),
                        "servers[0].psk.identity-length: only applies to identity: random"),
                Arguments.of("misspelt psk field", template(SERVER + "    psk: {key-lenght: 32}\n", ""),
                        "servers[0].psk.key-lenght: is not a known field"),
                Arguments.of("psk settings for rpk", template(SERVER.replace("mode: psk", "mode: rpk")
                        + "    psk: {key-length: 32}\n", ""), "servers[0].psk: is only allowed when mode is psk"),
                Arguments.of("duplicate server name", template(SERVER + SERVER, ""),
                        "servers[1].name: 'fleetkey' is used twice"),
                Arguments.of("two eui64 identities", template(SERVER + "    psk: {identity: eui64}\n"
                        + SERVER.replace("fleetkey", "other") + "    psk: {identity: eui64}\n", ""),
                        "servers[1].psk.identity: only one server per template can use identity eui64"),
                Arguments.of("bad retransmission", template(SERVER, "dtls:\n  initial-retransmission: 9 parsecs\n"),
                        "dtls.initial-retransmission: must be a duration"),
                Arguments.of("retransmission too long", template(SERVER, "dtls:\n  initial-retransmission: 2m\n"),
                        "dtls.initial-retransmission: must be a duration"),
                Arguments.of("resumption not boolean", template(SERVER, "dtls:\n  resumption: maybe\n"),
                        "dtls.resumption: must be true or false"),
                Arguments.of("zero validity", template(SERVER, "bundle:\n  validity: 0s\n"),
                        "bundle.validity: must be a duration"),
                Arguments.of("unknown policy", template(SERVER, "reprovision-policy: overwrite\n"),
                        "reprovision-policy: must be one of fail, return-existing, replace"),
                Arguments.of("unknown top-level field", template(SERVER, "serverz: []\n"),
                        "serverz: is not a known field"),
                Arguments.of("not YAML", "id: [demo\n", "(document): is not valid YAML"),
                Arguments.of("duplicate key", template(SERVER, "id: again\n"), "(document): is not valid YAML"),
                Arguments.of("empty file", "", "(document): is empty"),
                Arguments.of("list document", "- id: demo\n", "(document): must be a mapping"),
                Arguments.of("pattern without placeholder",
                        template(SERVER + "    psk: {identity: pattern, identity-pattern: fixed}\n", ""),
                        "servers[0].psk.identity-pattern: PSK identity pattern 'fixed' must contain {eui64}"),
                Arguments.of("pattern missing", template(SERVER + "    psk: {identity: pattern}\n", ""),
                        "servers[0].psk.identity-pattern: is missing"),
                Arguments.of("pattern for random identity",
                        template(SERVER + "    psk: {identity-pattern: \"d-{eui64}\"}\n", ""),
                        "servers[0].psk.identity-pattern: only applies to identity: pattern"),
                Arguments.of("key version for random identity", template(SERVER + "    psk: {key-version: 2}\n", ""),
                        "servers[0].psk.key-version: only applies to identity: diversified"),
                Arguments.of("key version zero", template(SERVER + "    psk: {identity: diversified, key-version: 0}\n", ""),
                        "servers[0].psk.key-version: must be a whole number from 1"),
                Arguments.of("bad batch name", template(SERVER + "    psk: {identity: diversified, batch: Line_7}\n", ""),
                        "servers[0].psk.batch: 'Line_7' must be 1-64 characters"),
                Arguments.of("two diversified identities", template(SERVER + "    psk: {identity: diversified}\n"
                        + SERVER.replace("fleetkey", "other") + "    psk: {identity: diversified, batch: b}\n", ""),
                        "servers[1].psk.identity: only one server per template can use identity diversified"),
                Arguments.of("certificate validity too short", template(SERVER, "credentials:\n  certificate-validity: 1m\n"),
                        "credentials.certificate-validity: must be a duration"),
                Arguments.of("retain not boolean", template(SERVER, "credentials:\n  retain-private-keys: never\n"),
                        "credentials.retain-private-keys: must be true or false"),
                Arguments.of("unknown credentials field", template(SERVER, "credentials:\n  key-type: rsa\n"),
                        "credentials.key-type: is not a known field"),
                Arguments.of("renewal period not a duration", template(SERVER, "credentials:\n  renew-before: soon\n"),
                        "credentials.renew-before: must be a duration"),
                Arguments.of("renewal period as long as the certificate", template(SERVER,
                        "credentials:\n  certificate-validity: 30d\n  renew-before: P30D\n"),
                        "credentials.renew-before: must be shorter than credentials.certificate-validity"),
                Arguments.of("crl distribution point not boolean", template(SERVER,
                        "credentials:\n  crl-distribution-point: yes please\n"),
                        "credentials.crl-distribution-point: must be true or false"));
    }

    @Test
    void pskIdentityOptionsAndCredentialSettingsAreRead() {
        DeviceTemplate t = parse(template(SERVER + "    psk: {identity: diversified, batch: line-7, key-version: 4}\n"
                + SERVER.replace("fleetkey", "other") + "    psk: {identity: pattern, identity-pattern: \"dev-{eui64}\"}\n",
                "credentials:\n  certificate-validity: 730d\n  retain-private-keys: false\n"));

        assertThat(t.servers().get(0).psk()).isEqualTo(new DeviceTemplate.Psk(16, DeviceTemplate.IdentityKind.DIVERSIFIED,
                16, null, "line-7", 4));
        assertThat(t.servers().get(1).psk()).isEqualTo(new DeviceTemplate.Psk(16, DeviceTemplate.IdentityKind.PATTERN,
                16, "dev-{eui64}", null, 1));
        assertThat(t.credentials()).isEqualTo(new DeviceTemplate.CredentialSettings(Duration.ofDays(730), false));
    }

    @Test
    void aRenewalPeriodInIso8601AndACrlDistributionPointAreRead() {
        DeviceTemplate t = parse(template(SERVER, "credentials:\n  renew-before: P30D\n  crl-distribution-point: true\n"));

        assertThat(t.credentials().renewalPeriod()).contains(Duration.ofDays(30));
        assertThat(t.credentials().crlDistributionPoint()).isTrue();
        assertThat(parse(template(SERVER, "")).credentials().renewalPeriod()).isEmpty();
        assertThat(parse(template(SERVER, "")).credentials().crlDistributionPoint()).isFalse();
    }

    @Test
    void committedX509AndRpkDemoTemplatesParse() throws Exception {
        for (String id : new String[] {"demo-x509", "demo-rpk"}) {
            DeviceTemplate t = TemplateParser.parse(id + ".yaml",
                    Files.readAllBytes(TestService.repositoryTemplates().resolve(id + ".yaml")));
            assertThat(t.id()).isEqualTo(id);
            assertThat(t.servers()).singleElement().satisfies(s -> assertThat(s.host()).isEqualTo("localhost"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenTemplates")
    void brokenTemplateIsRejectedNamingFileAndField(String name, String yaml, String expected) {
        assertThatThrownBy(() -> parse(yaml))
                .isInstanceOf(InvalidTemplateException.class)
                .hasMessageStartingWith(FILE + ": " + expected);
    }

    @Test
    void anErrorNamesTheLineOfTheFieldToFix() {
        String yaml = template(SERVER + """
                  - name: backup
                    uri: http://backup.example
                    mode: rpk
                """, "");

        InvalidTemplateException e = catchThrowableOfType(InvalidTemplateException.class, () -> parse(yaml));

        assertThat(e.field()).isEqualTo("servers[1].uri");
        assertThat(e.line()).isEqualTo(8);
        assertThat(e.problem()).startsWith("must be coaps://host:port");
        assertThat(e.getMessage()).endsWith("(line 8)");
    }

    @Test
    void aMissingFieldIsPlacedAtTheMappingItIsMissingFrom() {
        String yaml = template(SERVER + "    psk: {identity: pattern}\n", "dtls:\n  resumption: true\n");

        InvalidTemplateException e = catchThrowableOfType(InvalidTemplateException.class, () -> parse(yaml));

        assertThat(e.field()).isEqualTo("servers[0].psk.identity-pattern");
        assertThat(e.line()).as("the line of servers[0].psk").isEqualTo(7);
    }

    @Test
    void aYamlSyntaxErrorNamesItsLine() {
        InvalidTemplateException e = catchThrowableOfType(InvalidTemplateException.class,
                () -> parse("id: demo\nversion: 1\nservers: [\n"));

        assertThat(e.field()).isEqualTo("(document)");
        assertThat(e.line()).isBetween(3, 4);
    }
}
