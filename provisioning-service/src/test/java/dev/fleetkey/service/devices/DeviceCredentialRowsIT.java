package dev.fleetkey.service.devices;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetkey.bundle.CredentialMode;
import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.bundle.Sha256;
import dev.fleetkey.service.ApiClient;
import dev.fleetkey.service.TestService;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A stored credential is its mode's material and nothing else: the repository writes each mode's columns
 * as the schema has them (mode names, the SHA-256 pin, the serial) and reads them back as the same material.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DeviceCredentialRowsIT {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestService.register(registry, TestService.newDataDir());
    }

    @LocalServerPort
    int port;

    @Autowired
    DeviceRepository devices;

    @Autowired
    JdbcClient jdbc;

    @ParameterizedTest(name = "a {1} credential is stored in the {2} columns and read back as {1} material")
    @CsvSource({
            "00-11-22-FF-FE-00-70-01, demo-sensor, PSK",
            "00-11-22-FF-FE-00-70-02, demo-rpk, RAW_PUBLIC_KEY",
            "00-11-22-FF-FE-00-70-03, demo-x509, X509"})
    void eachModeIsStoredInItsOwnColumnsAndReadBackAsItsMaterial(String eui64, String template, CredentialMode mode)
            throws Exception {
        ApiClient.admin(port, TestService.ADMIN_PASSWORD).provision(eui64, template);
        Device device = devices.findByEui64(Eui64.parse(eui64)).orElseThrow();
        Map<String, Object> row = jdbc.sql("""
                SELECT mode, psk_identity, public_key, public_key_sha256, certificate, certificate_serial, key_origin,
                    sealed_secret FROM device_credentials WHERE device_id = :id""")
                .param("id", device.id()).query().singleRow();

        DeviceCredential credential = devices.currentCredentials(device.id()).get(0);

        assertThat(row.get("mode")).isEqualTo(mode.name());
        assertThat(credential.mode()).isEqualTo(mode);
        assertThat(credential.sealedKey()).as("the service made the secret and holds it sealed").isNotNull();
        switch (mode) {
            case PSK -> {
                assertThat(credential.material()).isEqualTo(new CredentialMaterial.Psk((byte[]) row.get("psk_identity")));
                assertThat(row).containsEntry("public_key", null).containsEntry("public_key_sha256", null)
                        .containsEntry("certificate", null).containsEntry("key_origin", null);
            }
            case RAW_PUBLIC_KEY -> {
                byte[] spki = (byte[]) row.get("public_key");
                assertThat(credential.material())
                        .isEqualTo(new CredentialMaterial.RawPublicKey(spki, DeviceCredential.KeyOrigin.SERVICE));
                assertThat((byte[]) row.get("public_key_sha256")).isEqualTo(Sha256.digest(spki));
                assertThat(row).containsEntry("psk_identity", null).containsEntry("certificate", null)
                        .containsEntry("key_origin", "SERVICE");
            }
            case X509 -> {
                byte[] der = (byte[]) row.get("certificate");
                X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                        .generateCertificate(new ByteArrayInputStream(der));
                byte[] spki = certificate.getPublicKey().getEncoded();
                assertThat(credential.material()).isEqualTo(new CredentialMaterial.Certificate(spki, der,
                        certificate.getSerialNumber().toString(16), DeviceCredential.KeyOrigin.SERVICE));
                assertThat((byte[]) row.get("public_key")).isEqualTo(spki);
                assertThat((byte[]) row.get("public_key_sha256")).isEqualTo(Sha256.digest(spki));
                assertThat(row).containsEntry("psk_identity", null)
                        .containsEntry("certificate_serial", certificate.getSerialNumber().toString(16));
            }
        }
    }
}
