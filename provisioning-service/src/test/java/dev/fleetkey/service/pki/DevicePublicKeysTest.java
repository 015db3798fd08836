package dev.fleetkey.service.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.stream.Stream;

import dev.fleetkey.bundle.Eui64;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class DevicePublicKeysTest {

    private static final Eui64 DEVICE = Eui64.parse("00-11-22-FF-FE-33-44-55");

    private final DevicePublicKeys keys = new DevicePublicKeys(P256Crypto.preferred());

    @Test
    void aP256SubjectPublicKeyInfoIsAcceptedAsDerAndAsPem() throws Exception {
        PublicKey key = P256Crypto.preferred().generateKeyPair().getPublic();

        assertThat(keys.fromSubjectPublicKeyInfo(key.getEncoded()).getEncoded()).isEqualTo(key.getEncoded());
        assertThat(keys.fromSubjectPublicKeyInfo(pem(key)).getEncoded()).isEqualTo(key.getEncoded());
    }

    @Test
    void aP256CsrNamingTheDeviceIsAcceptedAsDerAndAsPem() throws Exception {
        KeyPair pair = P256Crypto.preferred().generateKeyPair();
        byte[] csr = csr(pair, "SHA256withECDSA", "CN=" + DEVICE.canonical() + ",O=Someone Else");

        assertThat(keys.fromCsr(csr, DEVICE).getEncoded()).isEqualTo(pair.getPublic().getEncoded());
        String pemText = "-----BEGIN CERTIFICATE REQUEST-----\n"
                + java.util.Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(csr)
                + "\n-----END CERTIFICATE REQUEST-----\n";
        assertThat(keys.fromCsr(pemText.getBytes(StandardCharsets.US_ASCII), DEVICE).getEncoded())
                .isEqualTo(pair.getPublic().getEncoded());
    }

    @ParameterizedTest(name = "subject [{0}] subjectAltName [{1}] {2}")
    @CsvSource(delimiter = '|', textBlock = """
            ''                                        | ''                                | accepted
            CN=00-11-22-FF-FE-33-44-55                | ''                                | accepted
            CN=00:11:22:ff:fe:33:44:55                | ''                                | accepted
            CN=001122FFFE334455                       | ''                                | accepted
            CN=urn:dev:mac:001122fffe334455,O=Line 3  | ''                                | accepted
            ''                                        | URI:urn:dev:mac:001122fffe334455  | accepted
            CN=00-11-22-FF-FE-99-99-99                | ''                                | refused
            CN=admin                                  | ''                                | refused
            O=Someone,CN=00-11-22-FF-FE-33-44-55      | URI:urn:dev:mac:001122fffe999999  | refused
            ''                                        | DNS:evil.example.com              | refused
            ''                                        | URI:https://evil.example.com      | refused
            """)
    void aCsrMayNameTheDeviceOrNoOneButNoOtherIdentity(String subject, String altName, String outcome) throws Exception {
        KeyPair pair = P256Crypto.preferred().generateKeyPair();
        JcaPKCS10CertificationRequestBuilder builder = new JcaPKCS10CertificationRequestBuilder(new X500Name(subject),
                pair.getPublic());
        if (!altName.isEmpty()) {
            String[] typed = altName.split(":", 2);
            ExtensionsGenerator extensions = new ExtensionsGenerator();
            extensions.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(
                    typed[0].equals("DNS") ? GeneralName.dNSName : GeneralName.uniformResourceIdentifier, typed[1])));
            builder.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate());
        }
        byte[] csr = builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())).getEncoded();

        if (outcome.equals("accepted")) {
            assertThat(keys.fromCsr(csr, DEVICE).getEncoded()).isEqualTo(pair.getPublic().getEncoded());
        } else {
            assertThatThrownBy(() -> keys.fromCsr(csr, DEVICE))
                    .isInstanceOf(DeviceKeyRejectedException.ForeignIdentity.class)
                    .hasMessageContaining("not device 00-11-22-FF-FE-33-44-55");
        }
    }

    static Stream<Arguments> foreignKeys() {
        return Stream.of(
                Arguments.of("RSA", 2048, DeviceKeyRejectedException.UnsupportedAlgorithm.class, "RSA, not ECDSA"),
                Arguments.of("EC", "secp384r1", DeviceKeyRejectedException.UnsupportedCurve.class, "secp384r1, not P-256"),
                Arguments.of("EC", "secp256k1", DeviceKeyRejectedException.UnsupportedCurve.class, "secp256k1, not P-256"),
                Arguments.of("Ed25519", null, DeviceKeyRejectedException.UnsupportedAlgorithm.class,
                        "Ed25519, not ECDSA"));
    }

    @ParameterizedTest(name = "{0} {1} public key is refused")
    @MethodSource("foreignKeys")
    void keysOtherThanP256AreRefusedNamingWhatTheyAre(String algorithm, Object parameter,
            Class<? extends Exception> expected, String message) throws Exception {
        KeyPair pair = generate(algorithm, parameter);

        assertThatThrownBy(() -> keys.fromSubjectPublicKeyInfo(pair.getPublic().getEncoded()))
                .isInstanceOf(expected).hasMessageContaining(message)
                .hasMessageContaining(DeviceKeyRejectedException.ACCEPTED);
    }

    @ParameterizedTest(name = "CSR for a {0} {1} key is refused")
    @MethodSource("foreignKeys")
    void csrsForKeysOtherThanP256AreRefused(String algorithm, Object parameter, Class<? extends Exception> expected,
            String message) throws Exception {
        KeyPair pair = generate(algorithm, parameter);
        String signature = "RSA".equals(algorithm) ? "SHA256withRSA" : "Ed25519".equals(algorithm) ? "Ed25519"
                : "SHA256withECDSA";

        assertThatThrownBy(() -> keys.fromCsr(csr(pair, signature, "CN=x"), DEVICE)).isInstanceOf(expected)
                .hasMessageContaining(message);
    }

    @Test
    void aCsrWhoseSignatureDoesNotVerifyIsRefusedAsNoProofOfPossession() throws Exception {
        byte[] csr = csr(P256Crypto.preferred().generateKeyPair(), "SHA256withECDSA", "CN=x");
        csr[csr.length - 1] ^= 0x01;

        assertThatThrownBy(() -> keys.fromCsr(csr, DEVICE)).isInstanceOf(DeviceKeyRejectedException.BadCsrSignature.class)
                .hasMessageContaining("proof of possession");
    }

    @Test
    void aCsrSignedWithAnotherKeyIsRefused() throws Exception {
        KeyPair claimed = P256Crypto.preferred().generateKeyPair();
        KeyPair signer = P256Crypto.preferred().generateKeyPair();
        byte[] csr = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=x"), claimed.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())).getEncoded();

        assertThatThrownBy(() -> keys.fromCsr(csr, DEVICE)).isInstanceOf(DeviceKeyRejectedException.BadCsrSignature.class);
    }

    @Test
    void aPointOffTheCurveIsRefused() {
        byte[] spki = P256Crypto.preferred().generateKeyPair().getPublic().getEncoded();
        spki[spki.length - 1] ^= 0x01;

        assertThatThrownBy(() -> keys.fromSubjectPublicKeyInfo(spki))
                .isInstanceOf(DeviceKeyRejectedException.Malformed.class).hasMessageContaining("not a valid curve point");
    }

    static Stream<Arguments> garbage() {
        return Stream.of(
                Arguments.of("empty", new byte[0], "No key was given"),
                Arguments.of("random bytes", new byte[] {1, 2, 3, 4, 5}, "not a DER"),
                Arguments.of("text", "hello".getBytes(StandardCharsets.US_ASCII), "not a DER"),
                Arguments.of("a PEM certificate", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"
                        .getBytes(StandardCharsets.US_ASCII), "PEM block is not"));
    }

    @ParameterizedTest(name = "{0} is refused as a key and as a CSR")
    @MethodSource("garbage")
    void garbageIsRefusedAsMalformed(String what, byte[] input, String message) {
        assertThatThrownBy(() -> keys.fromSubjectPublicKeyInfo(input))
                .isInstanceOf(DeviceKeyRejectedException.Malformed.class).hasMessageContaining(message);
        assertThatThrownBy(() -> keys.fromCsr(input, DEVICE))
                .isInstanceOf(DeviceKeyRejectedException.Malformed.class).hasMessageContaining(message);
    }

    private static KeyPair generate(String algorithm, Object parameter) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm, P256Crypto.bouncyCastle());
        if (parameter instanceof String) {
            generator.initialize(new ECGenParameterSpec((String) parameter));
        } else if (parameter instanceof Integer) {
            generator.initialize((Integer) parameter);
        }
        return generator.generateKeyPair();
    }

    private static byte[] csr(KeyPair pair, String signatureAlgorithm, String subject) throws Exception {
        return new JcaPKCS10CertificationRequestBuilder(new X500Name(subject), pair.getPublic())
                .build(new JcaContentSignerBuilder(signatureAlgorithm).setProvider(P256Crypto.bouncyCastle())
                        .build(pair.getPrivate())).getEncoded();
    }

    private static byte[] pem(PublicKey key) {
        return CertificateAuthoritiesTest.pem(key).getBytes(StandardCharsets.US_ASCII);
    }
}
