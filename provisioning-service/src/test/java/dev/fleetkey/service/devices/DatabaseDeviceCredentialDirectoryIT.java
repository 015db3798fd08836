package dev.fleetkey.service.devices;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.bundle.Sha256;
import dev.fleetkey.service.ApiClient;
import dev.fleetkey.service.TestService;
import dev.fleetkey.service.endpoint.DeviceCredentialDirectory;
import dev.fleetkey.service.endpoint.KnownDevice;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The endpoint's credential lookup, answered from the database for devices provisioned over HTTP. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DatabaseDeviceCredentialDirectoryIT {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestService.register(registry, TestService.newDataDir());
    }

    @LocalServerPort
    int port;

    @Autowired
    DeviceCredentialDirectory directory;

    @Autowired
    JdbcClient jdbc;

    @Test
    void registeredRawPublicKeyLeadsToItsDeviceUntilRevoked() throws Exception {
        ApiClient api = ApiClient.admin(port, TestService.ADMIN_PASSWORD);
        var generator = java.security.KeyPairGenerator.getInstance("EC");
        generator.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
        byte[] spki = generator.generateKeyPair().getPublic().getEncoded();
        api.postJson("/api/v1/devices", "{\"eui64\":\"00-11-22-FF-FE-00-60-10\",\"template\":\"demo-rpk\","
                + "\"publicKey\":\"" + java.util.Base64.getEncoder().encodeToString(spki) + "\"}");

        assertThat(directory.findByRawPublicKey(spki)).hasValue(KnownDevice.withoutPsk(Eui64.parse("00-11-22-FF-FE-00-60-10")));

        api.postJson("/api/v1/devices/00-11-22-FF-FE-00-60-10/revoke", "{\"reason\":\"lost\"}");

        assertThat(directory.findByRawPublicKey(spki)).isEmpty();
    }

    @Test
    void keyHeldByTwoDevicesInDataFromBeforeTheRegistryIsUnknownEvenAfterOneIsRevoked() throws Exception {
        ApiClient api = ApiClient.admin(port, TestService.ADMIN_PASSWORD);
        byte[] first = newPublicKey();
        api.postJson("/api/v1/devices", "{\"eui64\":\"00-11-22-FF-FE-00-60-20\",\"template\":\"demo-rpk\","
                + "\"publicKey\":\"" + java.util.Base64.getEncoder().encodeToString(first) + "\"}");
        api.provision("00-11-22-FF-FE-00-60-21", "demo-rpk");
        assertThat(directory.findByRawPublicKey(first)).isPresent();
        copyKeyTo("00-11-22-FF-FE-00-60-21", first);

        assertThat(directory.findByRawPublicKey(first)).as("held by two devices").isEmpty();

        api.postJson("/api/v1/devices/00-11-22-FF-FE-00-60-20/revoke", "{\"reason\":\"lost\"}");
        assertThat(directory.findByRawPublicKey(first)).as("the revoked device's key is not the other one's").isEmpty();
    }

    @Test
    void certificateWhoseKeyAnotherDeviceAlsoHoldsIsUnknown() throws Exception {
        ApiClient api = ApiClient.admin(port, TestService.ADMIN_PASSWORD);
        api.provision("00-11-22-FF-FE-00-60-22", "demo-x509");
        api.provision("00-11-22-FF-FE-00-60-23", "demo-rpk");
        java.security.cert.X509Certificate issued = certificate("00-11-22-FF-FE-00-60-22");
        Eui64 device = Eui64.parse("00-11-22-FF-FE-00-60-22");
        assertThat(directory.findByCertificate(device, issued)).isPresent();

        copyKeyTo("00-11-22-FF-FE-00-60-23", issued.getPublicKey().getEncoded());

        assertThat(directory.findByCertificate(device, issued)).isEmpty();
    }

    /** Data as it could be written before keys were registered: another device's credential gets this key. */
    private void copyKeyTo(String eui64, byte[] spki) throws Exception {
        jdbc.sql("""
                UPDATE device_credentials SET public_key = :key, public_key_sha256 = :sha
                WHERE device_id = (SELECT id FROM devices WHERE eui64 = :e)""")
                .param("key", spki).param("sha", Sha256.digest(spki))
                .param("e", eui64).update();
    }

    private static byte[] newPublicKey() throws Exception {
        var generator = java.security.KeyPairGenerator.getInstance("EC");
        generator.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair().getPublic().getEncoded();
    }

    @Test
    void issuedClientCertificateLeadsToItsDeviceUntilRotatedOut() throws Exception {
        ApiClient api = ApiClient.admin(port, TestService.ADMIN_PASSWORD);
        api.provision("00-11-22-FF-FE-00-60-11", "demo-x509");
        java.security.cert.X509Certificate old = certificate("00-11-22-FF-FE-00-60-11");
        Eui64 device = Eui64.parse("00-11-22-FF-FE-00-60-11");
        assertThat(directory.findByCertificate(device, old)).hasValue(KnownDevice.withoutPsk(device));
        assertThat(directory.findByCertificate(Eui64.parse("00-11-22-FF-FE-00-60-12"), old)).isEmpty();

        api.postJson("/api/v1/devices/00-11-22-FF-FE-00-60-11/rotate", "{\"overlap\":\"PT0S\"}");

        assertThat(directory.findByCertificate(device, old)).isEmpty();
        assertThat(directory.findByCertificate(device, certificate("00-11-22-FF-FE-00-60-11")))
                .hasValue(KnownDevice.withoutPsk(device));
    }

    private java.security.cert.X509Certificate certificate(String eui64) throws Exception {
        byte[] der = jdbc.sql("""
                SELECT c.certificate FROM device_credentials c JOIN devices d ON d.id = c.device_id
                WHERE d.eui64 = :e AND c.valid_until IS NULL AND c.revoked_at IS NULL""")
                .param("e", eui64).query(byte[].class).single();
        return (java.security.cert.X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                .generateCertificate(new java.io.ByteArrayInputStream(der));
    }

    @Test
    void provisionedIdentityLeadsToItsDeviceAndKey() {
        ApiClient api = ApiClient.admin(port, TestService.ADMIN_PASSWORD);
        String identityHex = ApiClient.json(api.provision("00-11-22-FF-FE-00-60-01", "demo-sensor"))
                .get("credentials").get(0).get("pskIdentity").stringValue();
        byte[] identity = HexFormat.of().parseHex(identityHex);

        Optional<KnownDevice> found = directory.findByPskIdentity(identity);

        assertThat(found).hasValueSatisfying(device -> {
            assertThat(device.eui64()).isEqualTo(Eui64.parse("00-11-22-FF-FE-00-60-01"));
            assertThat(device.psk().identity()).isEqualTo(identity);
            assertThat(device.psk().key()).hasSize(16);
            assertThat(device.toString()).doesNotContain(HexFormat.of().formatHex(device.psk().key()));
        });
    }

    @Test
    void unknownOrEmptyIdentityFindsNothing() {
        assertThat(directory.findByPskIdentity(HexFormat.of().parseHex("00112233445566778899aabbccddeeff"))).isEmpty();
        assertThat(directory.findByPskIdentity(new byte[0])).isEmpty();
    }

    @Test
    void revokedCredentialIsNoLongerFound() {
        ApiClient api = ApiClient.admin(port, TestService.ADMIN_PASSWORD);
        byte[] identity = HexFormat.of().parseHex(ApiClient.json(api.provision("00-11-22-FF-FE-00-60-02", "demo-sensor"))
                .get("credentials").get(0).get("pskIdentity").stringValue());
        assertThat(directory.findByPskIdentity(identity)).isPresent();

        jdbc.sql("UPDATE device_credentials SET revoked_at = CURRENT_TIMESTAMP WHERE psk_identity = :i")
                .param("i", identity).update();

        assertThat(directory.findByPskIdentity(identity)).isEmpty();
    }

    @Test
    void sealedKeyCopiedToAnotherDeviceDoesNotOpen() {
        ApiClient api = ApiClient.admin(port, TestService.ADMIN_PASSWORD);
        api.provision("00-11-22-FF-FE-00-60-03", "demo-sensor");
        byte[] victim = HexFormat.of().parseHex(ApiClient.json(api.provision("00-11-22-FF-FE-00-60-04", "demo-sensor"))
                .get("credentials").get(0).get("pskIdentity").stringValue());
        // Someone with database access copies device 03's sealed key into device 04's row.
        jdbc.sql("""
                UPDATE device_credentials SET sealed_secret = (
                    SELECT c.sealed_secret FROM device_credentials c JOIN devices d ON d.id = c.device_id
                    WHERE d.eui64 = '00-11-22-FF-FE-00-60-03')
                WHERE psk_identity = :i""").param("i", victim).update();

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> directory.findByPskIdentity(victim))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("does not open");
    }

    @Test
    void pskSessionCheckAcceptsItsOwnDeviceUntilRevokedWithoutOpeningTheSealedKey() {
        ApiClient api = ApiClient.admin(port, TestService.ADMIN_PASSWORD);
        api.provision("00-11-22-FF-FE-00-60-05", "demo-sensor");
        byte[] identity = HexFormat.of().parseHex(ApiClient.json(api.provision("00-11-22-FF-FE-00-60-06", "demo-sensor"))
                .get("credentials").get(0).get("pskIdentity").stringValue());
        Eui64 device = Eui64.parse("00-11-22-FF-FE-00-60-06");
        // a sealed key that would not open: the per-request check must not need it
        jdbc.sql("""
                UPDATE device_credentials SET sealed_secret = (
                    SELECT c.sealed_secret FROM device_credentials c JOIN devices d ON d.id = c.device_id
                    WHERE d.eui64 = '00-11-22-FF-FE-00-60-05')
                WHERE psk_identity = :i""").param("i", identity).update();

        assertThat(directory.acceptsPskIdentity(device, identity)).isTrue();
        assertThat(directory.acceptsPskIdentity(Eui64.parse("00-11-22-FF-FE-00-60-05"), identity)).isFalse();
        assertThat(directory.acceptsPskIdentity(device, new byte[0])).isFalse();

        api.postJson("/api/v1/devices/00-11-22-FF-FE-00-60-06/revoke", "{\"reason\":\"lost\"}");

        assertThat(directory.acceptsPskIdentity(device, identity)).isFalse();
    }
}
