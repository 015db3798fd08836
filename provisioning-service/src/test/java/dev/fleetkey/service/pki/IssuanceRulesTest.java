package dev.fleetkey.service.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.fleetkey.bundle.Eui64;

/** One table per issuance rule: each row is a request and what the rule must make of it. */
class IssuanceRulesTest {

    private static final IssuingCa CA = TestPki.shared().deviceCa();
    private static final PublicKey P256 = P256Crypto.preferred().generateKeyPair().getPublic();
    private static final CertificateSubject DEVICE = new CertificateSubject.Device(Eui64.parse("001122fffe334455"));
    private static final CertificateSubject SERVER = new CertificateSubject.Server("coap.example.com");

    private static CertificateDraft apply(IssuanceRule rule, CertificateSubject subject, PublicKey key,
            Duration validity) {
        CertificateDraft draft = new CertificateDraft();
        rule.apply(new CertificateRequest(subject, key, validity), CA, draft);
        return draft;
    }

    private static CertificateDraft apply(IssuanceRule rule, CertificateSubject subject) {
        return apply(rule, subject, P256, Duration.ofDays(1));
    }

    static Stream<Arguments> keys() throws Exception {
        return Stream.of(
                Arguments.of("EC", "secp256r1", null),
                Arguments.of("EC", "secp384r1", "secp384r1"),
                Arguments.of("EC", "secp256k1", "secp256k1"),
                Arguments.of("RSA", "2048", "RSA"),
                Arguments.of("Ed25519", null, "Ed25519"));
    }

    @ParameterizedTest(name = "{0} {1} key: refused = {2}")
    @MethodSource("keys")
    void onlyP256KeysAreCertified(String algorithm, String parameter, String refusalMentions) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm, P256Crypto.bouncyCastle());
        if ("EC".equals(algorithm)) {
            generator.initialize(new ECGenParameterSpec(parameter));
        } else if ("RSA".equals(algorithm)) {
            generator.initialize(Integer.parseInt(parameter));
        }
        PublicKey key = generator.generateKeyPair().getPublic();

        if (refusalMentions == null) {
            apply(IssuanceRules.p256PublicKey(), DEVICE, key, Duration.ofDays(1));
        } else {
            assertThatThrownBy(() -> apply(IssuanceRules.p256PublicKey(), DEVICE, key, Duration.ofDays(1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("P-256");
        }
    }

    @ParameterizedTest(name = "validity {0} days -> ends {1} days from now (capped at the CA)")
    @CsvSource({"1, 1", "365, 365", "3650, 3650", "100000, -1"})
    void validityStartsFiveMinutesBackAndNeverOutlivesTheIssuer(long days, long expectedDays) {
        Instant now = Instant.parse("2030-01-01T00:00:00Z");
        IssuanceRule rule = IssuanceRules.validity(Clock.fixed(now, ZoneOffset.UTC), Duration.ofMinutes(5));

        CertificateDraft draft = apply(rule, DEVICE, P256, Duration.ofDays(days));

        assertThat(draft.notBefore()).isEqualTo(now.minus(Duration.ofMinutes(5)));
        assertThat(draft.notAfter()).isEqualTo(expectedDays < 0 ? CA.certificate().getNotAfter().toInstant()
                : now.plus(Duration.ofDays(expectedDays)));
    }

    @ParameterizedTest(name = "subject {0} -> CN \"{1}\"")
    @CsvSource(delimiter = '|', value = {
        "device|00-11-22-FF-FE-33-44-55",
        "coap.example.com|coap.example.com",
        "COAP.Example.com.|coap.example.com",
        "a234567890.b234567890.c234567890.d234567890.e234567890.f23456789|"
                + "a234567890.b234567890.c234567890.d234567890.e234567890.f23456789",
        "a234567890.b234567890.c234567890.d234567890.e234567890.f234567890|"})
    void theCommonNameIsTheCanonicalEui64OrTheFqdnIfItFits(String subject, String expectedCn) {
        CertificateSubject s = "device".equals(subject) ? DEVICE : new CertificateSubject.Server(subject);

        CertificateDraft draft = apply(IssuanceRules.commonName(), s);

        if (expectedCn == null) {
            assertThat(draft.subjectIsEmpty()).isTrue();
        } else {
            assertThat(draft.subject().getRDNs(BCStyle.CN)[0].getFirst().getValue().toString()).isEqualTo(expectedCn);
        }
    }

    @ParameterizedTest(name = "EUI-64 {0} -> SAN {1}")
    @CsvSource({"00-11-22-FF-FE-33-44-55, urn:dev:mac:001122fffe334455",
        "ac:de:48:00:11:22:33:44, urn:dev:mac:acde480011223344"})
    void devicesGetTheirRfc9039UrnAsSubjectAltName(String eui64, String urn) {
        CertificateDraft draft = new CertificateDraft();
        IssuanceRules.commonName().apply(request(new CertificateSubject.Device(Eui64.parse(eui64))), CA, draft);
        IssuanceRules.deviceUrnSubjectAltName().apply(request(new CertificateSubject.Device(Eui64.parse(eui64))),
                CA, draft);

        Extension san = draft.extension(Extension.subjectAlternativeName);
        assertThat(san.isCritical()).isFalse();
        assertThat(GeneralNames.getInstance(san.getParsedValue()).getNames()).containsExactly(
                new GeneralName(GeneralName.uniformResourceIdentifier, urn));
        assertThatThrownBy(() -> apply(IssuanceRules.deviceUrnSubjectAltName(), SERVER))
                .hasMessageContaining("use the server profile");
    }

    @ParameterizedTest(name = "server {0}: SAN critical = {1}")
    @CsvSource({"coap.example.com, false",
        "a234567890.b234567890.c234567890.d234567890.e234567890.f234567890, true"})
    void serversGetTheirFqdnAsDnsNameCriticalOnlyWhenTheSubjectIsEmpty(String fqdn, boolean critical) {
        CertificateSubject server = new CertificateSubject.Server(fqdn);
        CertificateDraft draft = new CertificateDraft();
        IssuanceRules.commonName().apply(request(server), CA, draft);
        IssuanceRules.dnsSubjectAltName().apply(request(server), CA, draft);

        Extension san = draft.extension(Extension.subjectAlternativeName);
        assertThat(san.isCritical()).isEqualTo(critical);
        assertThat(GeneralNames.getInstance(san.getParsedValue()).getNames()).containsExactly(
                new GeneralName(GeneralName.dNSName, fqdn));
        assertThatThrownBy(() -> apply(IssuanceRules.dnsSubjectAltName(), DEVICE))
                .hasMessageContaining("use the device profile");
    }

    @ParameterizedTest(name = "server name \"{0}\" is refused")
    @ValueSource(strings = {"", " ", "192.168.1.10", "::1", "*.example.com", "under_score.example.com",
        "a..example.com", "-lead.example.com", "trail-.example.com",
        "a234567890123456789012345678901234567890123456789012345678901234.example.com"})
    void serverNamesThatAreNotDnsNamesAreRefused(String fqdn) {
        assertThatThrownBy(() -> new CertificateSubject.Server(fqdn)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("DNS");
    }

    @Test
    void keyUsageIsDigitalSignatureOnlyAndCritical() {
        Extension ku = apply(IssuanceRules.digitalSignatureKeyUsage(), DEVICE).extension(Extension.keyUsage);

        assertThat(ku.isCritical()).isTrue();
        assertThat(KeyUsage.getInstance(ku.getParsedValue())).isEqualTo(new KeyUsage(KeyUsage.digitalSignature));
    }

    @ParameterizedTest(name = "extendedKeyUsage {0}")
    @ValueSource(strings = {"clientAuth", "serverAuth"})
    void extendedKeyUsageCarriesExactlyOnePurpose(String purpose) {
        KeyPurposeId id = "clientAuth".equals(purpose) ? KeyPurposeId.id_kp_clientAuth : KeyPurposeId.id_kp_serverAuth;

        Extension eku = apply(IssuanceRules.extendedKeyUsage(id), DEVICE).extension(Extension.extendedKeyUsage);

        assertThat(eku.isCritical()).isFalse();
        assertThat(ExtendedKeyUsage.getInstance(eku.getParsedValue()).getUsages()).containsExactly(id);
    }

    @Test
    void theKeyIdentifiersNameTheSubjectKeyAndTheIssuersOwnIdentifier() throws Exception {
        JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();

        Extension ski = apply(IssuanceRules.subjectKeyIdentifier(), DEVICE).extension(Extension.subjectKeyIdentifier);
        Extension aki = apply(IssuanceRules.authorityKeyIdentifier(), DEVICE)
                .extension(Extension.authorityKeyIdentifier);

        assertThat(SubjectKeyIdentifier.getInstance(ski.getParsedValue()).getKeyIdentifier())
                .isEqualTo(utils.createSubjectKeyIdentifier(P256).getKeyIdentifier());
        byte[] issuerSki = JcaX509ExtensionUtils.parseExtensionValue(
                CA.certificate().getExtensionValue(Extension.subjectKeyIdentifier.getId())).toASN1Primitive()
                .getEncoded();
        assertThat(AuthorityKeyIdentifier.getInstance(aki.getParsedValue()).getKeyIdentifierObject().getOctets())
                .isEqualTo(org.bouncycastle.asn1.ASN1OctetString.getInstance(issuerSki).getOctets());
        assertThat(AuthorityKeyIdentifier.getInstance(aki.getParsedValue()).getAuthorityCertIssuer()).isNull();
    }

    @ParameterizedTest(name = "{0} taken serials before a free one")
    @ValueSource(ints = {0, 1, 7})
    void serialsArePositiveAtMost127BitsAndRetriedWhileTaken(int taken) {
        AtomicInteger refusals = new AtomicInteger(taken);
        SerialRegistry registry = (issuer, serial) -> refusals.getAndDecrement() <= 0;

        BigInteger serial = apply(IssuanceRules.randomSerial(new SerialNumbers(new java.security.SecureRandom(),
                registry)), DEVICE).serial();

        assertThat(serial.signum()).isPositive();
        assertThat(serial.bitLength()).isLessThanOrEqualTo(127).isGreaterThan(64);
    }

    @Test
    void eightTakenSerialsInARowStopIssuanceAsABrokenRandomGenerator() {
        IssuanceRule rule = IssuanceRules.randomSerial(new SerialNumbers(new java.security.SecureRandom(),
                (issuer, serial) -> false));

        assertThatThrownBy(() -> apply(rule, DEVICE)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("random generator");
    }

    private static CertificateRequest request(CertificateSubject subject) {
        return new CertificateRequest(subject, P256, Duration.ofDays(1));
    }
}
