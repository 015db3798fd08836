package dev.fleetkey.service.devices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetkey.bundle.Sha256;
import dev.fleetkey.service.ApiClient;
import dev.fleetkey.service.TestService;
import dev.fleetkey.service.endpoint.DeviceCredentialDirectory;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Issue 13, part 3: a public key is bound to one device at a time, and a revoked or rotated-out key never
 * again. Over real HTTP and a real H2 file database, for keys submitted as SPKI or CSR, by administrators
 * and stations, on provisioning and rotation.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OnePublicKeyOneDeviceIT {

    private static final String IN_USE = "urn:fleetkey:problem:public-key-in-use";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestService.register(registry, TestService.newDataDir());
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    DeviceCredentialDirectory directory;

    ApiClient admin;

    @BeforeEach
    void client() {
        admin = ApiClient.admin(port, TestService.ADMIN_PASSWORD);
    }

    @Test
    void publicKeyOfAnotherDeviceIsRefusedWith409NamingTheDeviceHoldingIt() throws Exception {
        KeyPair key = p256();
        assertThat(provisionWithKey(admin, "00-11-22-FF-FE-0C-00-01", "demo-rpk", key).statusCode()).isEqualTo(201);

        HttpResponse<byte[]> second = provisionWithKey(admin, "00-11-22-FF-FE-0C-00-02", "demo-rpk", key);

        assertThat(second.statusCode()).as(ApiClient.text(second)).isEqualTo(409);
        assertThat(second.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
                .startsWith("application/problem+json"));
        JsonNode problem = ApiClient.json(second);
        assertThat(problem.get("type").stringValue()).isEqualTo(IN_USE);
        assertThat(problem.get("field").stringValue()).isEqualTo("publicKey");
        assertThat(problem.get("detail").stringValue()).contains("00-11-22-FF-FE-0C-00-01", sha256Hex(key), "new key pair");
        assertThat(admin.get("/api/v1/devices/00-11-22-FF-FE-0C-00-02").statusCode()).isEqualTo(404);
        assertThat(directory.findByRawPublicKey(key.getPublic().getEncoded())).isPresent();
    }

    @Test
    void keyOfARevokedDeviceIsNeverBoundAgainAndAuthenticatesNoOne() throws Exception {
        KeyPair key = p256();
        provisionWithKey(admin, "00-11-22-FF-FE-0C-01-01", "demo-rpk", key);
        admin.postJson("/api/v1/devices/00-11-22-FF-FE-0C-01-01/revoke", "{\"reason\":\"stolen\"}");

        HttpResponse<byte[]> reuse = provisionWithKey(admin, "00-11-22-FF-FE-0C-01-02", "demo-rpk", key);

        assertThat(reuse.statusCode()).as(ApiClient.text(reuse)).isEqualTo(409);
        assertThat(ApiClient.json(reuse).get("type").stringValue()).isEqualTo(IN_USE);
        assertThat(directory.findByRawPublicKey(key.getPublic().getEncoded())).isEmpty();
    }

    @Test
    void csrWhoseKeyIsInUseIsRefusedNamingTheCsrField() throws Exception {
        KeyPair key = p256();
        provisionWithKey(admin, "00-11-22-FF-FE-0C-02-01", "demo-rpk", key);
        long serials = serialsUsed();

        HttpResponse<byte[]> csr = admin.postJson("/api/v1/devices", "{\"eui64\":\"00-11-22-FF-FE-0C-02-02\","
                + "\"template\":\"demo-x509\",\"csr\":\"" + csr(key) + "\"}");

        assertThat(csr.statusCode()).as(ApiClient.text(csr)).isEqualTo(409);
        assertThat(ApiClient.json(csr).get("type").stringValue()).isEqualTo(IN_USE);
        assertThat(ApiClient.json(csr).get("field").stringValue()).isEqualTo("csr");
        assertThat(serialsUsed()).as("no certificate was issued for the refused CSR").isEqualTo(serials);
    }

    @Test
    void keyTheServiceMadeForOneDeviceCannotBeSubmittedForAnother() throws Exception {
        assertThat(admin.provision("00-11-22-FF-FE-0C-03-01", "demo-rpk").statusCode()).isEqualTo(201);
        byte[] serviceMade = jdbc.sql("""
                SELECT c.public_key FROM device_credentials c JOIN devices d ON d.id = c.device_id
                WHERE d.eui64 = '00-11-22-FF-FE-0C-03-01'""").query(byte[].class).single();

        HttpResponse<byte[]> copied = admin.postJson("/api/v1/devices", "{\"eui64\":\"00-11-22-FF-FE-0C-03-02\","
                + "\"template\":\"demo-rpk\",\"publicKey\":\"" + Base64.getEncoder().encodeToString(serviceMade) + "\"}");

        assertThat(copied.statusCode()).as(ApiClient.text(copied)).isEqualTo(409);
        assertThat(ApiClient.json(copied).get("detail").stringValue()).contains("00-11-22-FF-FE-0C-03-01");
    }

    @Test
    void rotationNeedsANewKeyAndTheRotatedOutKeyIsNeverBoundAgain() throws Exception {
        KeyPair first = p256();
        KeyPair second = p256();
        provisionWithKey(admin, "00-11-22-FF-FE-0C-04-01", "demo-rpk", first);

        HttpResponse<byte[]> sameKey = admin.postJson("/api/v1/devices/00-11-22-FF-FE-0C-04-01/rotate",
                "{\"publicKey\":\"" + spki(first) + "\"}");
        HttpResponse<byte[]> newKey = admin.postJson("/api/v1/devices/00-11-22-FF-FE-0C-04-01/rotate",
                "{\"overlap\":\"PT0S\",\"publicKey\":\"" + spki(second) + "\"}");
        HttpResponse<byte[]> oldKeyElsewhere = provisionWithKey(admin, "00-11-22-FF-FE-0C-04-02", "demo-rpk", first);

        assertThat(sameKey.statusCode()).as(ApiClient.text(sameKey)).isEqualTo(409);
        assertThat(ApiClient.json(sameKey).get("detail").stringValue()).contains("itself", "00-11-22-FF-FE-0C-04-01");
        assertThat(ApiClient.json(sameKey).get("field").stringValue()).isEqualTo("publicKey");
        assertThat(newKey.statusCode()).as(ApiClient.text(newKey)).isEqualTo(200);
        assertThat(oldKeyElsewhere.statusCode()).isEqualTo(409);
        assertThat(directory.findByRawPublicKey(first.getPublic().getEncoded())).isEmpty();
        assertThat(directory.findByRawPublicKey(second.getPublic().getEncoded())).isPresent();
    }

    @Test
    void reprovisioningUnderReplaceWithTheSameKeyIsRefusedAndTheDeviceKeepsItsCredential() throws Exception {
        KeyPair key = p256();
        String body = "{\"eui64\":\"00-11-22-FF-FE-0C-07-01\",\"template\":\"demo-x509\",\"csr\":\"" + csr(key) + "\"}";
        assertThat(admin.postJson("/api/v1/devices", body).statusCode()).isEqualTo(201);

        HttpResponse<byte[]> again = admin.postJson("/api/v1/devices", body);

        assertThat(again.statusCode()).as(ApiClient.text(again)).isEqualTo(409);
        assertThat(ApiClient.json(again).get("field").stringValue()).isEqualTo("csr");
        assertThat(ApiClient.json(again).get("detail").stringValue()).contains("itself");
        assertThat(ApiClient.json(admin.get("/api/v1/devices/00-11-22-FF-FE-0C-07-01")).get("credentials"))
                .singleElement().satisfies(c -> assertThat(c.get("status").stringValue()).isEqualTo("current"));
    }

    @Test
    void stationLearnsWhichDeviceHoldsAKeyOnlyIfThatDeviceIsItsOwn() throws Exception {
        ApiClient lineA = station("key-line-a");
        ApiClient lineB = station("key-line-b");
        KeyPair key = p256();
        assertThat(provisionWithKey(lineA, "00-11-22-FF-FE-0C-05-01", "demo-rpk", key).statusCode()).isEqualTo(201);

        HttpResponse<byte[]> otherStation = provisionWithKey(lineB, "00-11-22-FF-FE-0C-05-02", "demo-rpk", key);
        HttpResponse<byte[]> sameStation = provisionWithKey(lineA, "00-11-22-FF-FE-0C-05-03", "demo-rpk", key);
        HttpResponse<byte[]> idempotent = lineB.send("POST", "/api/v1/devices", "{\"eui64\":\"00-11-22-FF-FE-0C-05-04\","
                + "\"template\":\"demo-x509\",\"csr\":\"" + csr(key) + "\"}", "Idempotency-Key", "key-in-use");

        assertThat(otherStation.statusCode()).as(ApiClient.text(otherStation)).isEqualTo(409);
        assertThat(ApiClient.json(otherStation).get("type").stringValue()).isEqualTo(IN_USE);
        assertThat(ApiClient.text(otherStation)).doesNotContain("0C-05-01").contains(sha256Hex(key));
        assertThat(idempotent.statusCode()).isEqualTo(409);
        assertThat(ApiClient.text(idempotent)).doesNotContain("0C-05-01");
        assertThat(ApiClient.json(idempotent).get("field").stringValue()).isEqualTo("csr");
        assertThat(sameStation.statusCode()).isEqualTo(409);
        assertThat(ApiClient.json(sameStation).get("detail").stringValue()).contains("00-11-22-FF-FE-0C-05-01");
    }

    @Test
    void twoDevicesRacingWithOneNewKeyEndWithOneBoundAndOneRefused() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int trial = 0; trial < 10; trial++) {
                KeyPair key = p256();
                CyclicBarrier start = new CyclicBarrier(2);
                List<Future<HttpResponse<byte[]>>> sent = new ArrayList<>();
                for (int racer = 0; racer < 2; racer++) {
                    String eui64 = String.format("00-11-22-FF-FE-0C-1%d-%02X", racer, trial);
                    sent.add(pool.submit(() -> {
                        start.await(10, TimeUnit.SECONDS);
                        return provisionWithKey(admin, eui64, "demo-rpk", key);
                    }));
                }
                List<Integer> statuses = new ArrayList<>();
                for (Future<HttpResponse<byte[]>> answer : sent) {
                    HttpResponse<byte[]> response = answer.get(30, TimeUnit.SECONDS);
                    statuses.add(response.statusCode());
                    if (response.statusCode() == 409) {
                        assertThat(ApiClient.json(response).get("type").stringValue()).isEqualTo(IN_USE);
                    }
                }
                assertThat(statuses).as("trial " + trial).containsExactlyInAnyOrder(201, 409);
                assertThat(directory.findByRawPublicKey(key.getPublic().getEncoded())).isPresent();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void databaseRefusesASecondBindingWrittenBehindTheServicesBack() throws Exception {
        KeyPair key = p256();
        provisionWithKey(admin, "00-11-22-FF-FE-0C-06-01", "demo-rpk", key);
        provisionWithKey(admin, "00-11-22-FF-FE-0C-06-02", "demo-rpk", p256());

        assertThatThrownBy(() -> jdbc.sql("""
                INSERT INTO device_public_keys (spki_sha256, device_id, registered_at)
                SELECT :sha, id, CURRENT_TIMESTAMP FROM devices WHERE eui64 = '00-11-22-FF-FE-0C-06-02'""")
                .param("sha", Sha256.digest(key.getPublic().getEncoded())).update())
                .isInstanceOf(DuplicateKeyException.class);
    }

    private long serialsUsed() {
        return jdbc.sql("SELECT COUNT(*) FROM certificate_serials").query(Long.class).single();
    }

    private static HttpResponse<byte[]> provisionWithKey(ApiClient client, String eui64, String template, KeyPair key) {
        return client.postJson("/api/v1/devices", "{\"eui64\":\"" + eui64 + "\",\"template\":\"" + template + "\","
                + "\"publicKey\":\"" + spki(key) + "\"}");
    }

    private ApiClient station(String name) {
        HttpResponse<byte[]> created = admin.postJson("/api/v1/stations", "{\"name\":\"" + name + "\",\"allowedTemplates\":"
                + "[\"demo-rpk\",\"demo-x509\"],\"quotaPerMinute\":10000}");
        assertThat(created.statusCode()).as(ApiClient.text(created)).isEqualTo(201);
        return ApiClient.station(port, ApiClient.json(created).get("token").stringValue());
    }

    private static String spki(KeyPair key) {
        return Base64.getEncoder().encodeToString(key.getPublic().getEncoded());
    }

    private static String sha256Hex(KeyPair key) throws Exception {
        return Sha256.hex(key.getPublic().getEncoded());
    }

    /** A CSR with an empty subject: the service names the device itself (CREDENTIALS.md). */
    private static String csr(KeyPair key) throws Exception {
        byte[] der = new JcaPKCS10CertificationRequestBuilder(new X500Name(""), key.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())).getEncoded();
        return Base64.getEncoder().encodeToString(der);
    }

    private static KeyPair p256() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }
}
