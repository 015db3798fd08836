package dev.fleetkey.service.templates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

/** The {@code est} section: defaults, manufacturer CAs in any PEM layout, and what is refused with its field. */
class EstTemplateTest {

    private static final String EXAMPLE_CA = TemplateFields.at("est.factory-cas").example();

    private static DeviceTemplate parse(String est) {
        String yaml = """
                id: est-sample
                version: 1
                servers:
                  - name: fleetkey
                    uri: coaps://localhost:5684
                    mode: x509
                """ + est;
        return TemplateParser.parse("templates/est-sample.yaml", yaml.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aTemplateWithoutEstRenewsCertificatesAndTrustsNoFactoryCertificate() {
        DeviceTemplate.Est est = parse("").est();

        assertThat(est.reEnroll()).isTrue();
        assertThat(est.overlap()).isEqualTo(Duration.ofDays(7));
        assertThat(est.factoryCas()).isEmpty();
        assertThat(est.unknownDevices()).isEqualTo(DeviceTemplate.UnknownDevices.REFUSE);
        assertThat(est.serverKeys()).isEqualTo(DeviceTemplate.ServerKeys.OFF);
    }

    @Test
    void manufacturerCasAreReadFromAYamlBlockOrFromOneLine() {
        String block = EXAMPLE_CA.replace("-----BEGIN CERTIFICATE-----", "-----BEGIN CERTIFICATE-----\n")
                .replace("-----END", "\n-----END");
        String blockYaml = "est:\n  factory-cas: |\n" + block.indent(4);

        assertThat(parse(blockYaml).est().factoryCas()).hasSize(1);
        assertThat(parse("est:\n  factory-cas: \"" + EXAMPLE_CA + EXAMPLE_CA + "\"\n").est().factoryCas()).hasSize(2);
    }

    @Test
    void aDeviceCertificateOrTextThatIsNoCertificateIsRefusedNamingTheField() throws Exception {
        InvalidTemplateException notCa = catchThrowableOfType(InvalidTemplateException.class,
                () -> parse("est:\n  factory-cas: \"" + nonCaPem() + "\"\n"));
        InvalidTemplateException noPem = catchThrowableOfType(InvalidTemplateException.class,
                () -> parse("est:\n  factory-cas: not a certificate\n"));

        assertThat(notCa.getMessage()).contains("est.factory-cas").contains("is not a CA certificate");
        assertThat(noPem.getMessage()).contains("est.factory-cas").contains("holds no PEM certificate");
    }

    private static String nonCaPem() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keys = generator.generateKeyPair();
        X500Name name = new X500Name("CN=00-11-22-FF-FE-00-E9-01");
        byte[] der = new JcaX509v3CertificateBuilder(name, BigInteger.TEN, Date.from(Instant.now()),
                Date.from(Instant.now().plus(Duration.ofDays(1))), name, keys.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())).getEncoded();
        return "-----BEGIN CERTIFICATE-----" + Base64.getEncoder().encodeToString(der) + "-----END CERTIFICATE-----";
    }
}
