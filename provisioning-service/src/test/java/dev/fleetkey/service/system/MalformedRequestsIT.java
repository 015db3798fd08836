package dev.fleetkey.service.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetkey.service.ApiClient;
import dev.fleetkey.service.TestService;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.stream.Stream;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The fuzz corpus kept as a test: malformed requests written byte for byte to a socket, each with the
 * status and problem type it must get. Under {@code /api} every answer is {@code application/problem+json};
 * elsewhere it is the admin UI's own error page, never the servlet container's.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MalformedRequestsIT {

    private static final String EUI = "00-11-22-FF-FE-0E-00-00";
    private static final String JSON = "Content-Type: application/json";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestService.register(registry, TestService.newDataDir());
    }

    @LocalServerPort
    int port;

    private String admin;
    private String station;

    @BeforeAll
    void station() {
        admin = "Authorization: Basic " + Base64.getEncoder()
                .encodeToString(("admin:" + TestService.ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
        HttpResponse<byte[]> created = ApiClient.admin(port, TestService.ADMIN_PASSWORD).postJson("/api/v1/stations",
                "{\"name\":\"fuzz-corpus\",\"allowedTemplates\":[\"demo-sensor\",\"demo-x509\"],\"quotaPerMinute\":100000}");
        assertThat(created.statusCode()).as(ApiClient.text(created)).isEqualTo(201);
        station = "Authorization: Bearer " + ApiClient.json(created).get("token").stringValue();
    }

    /** One malformed request: who sends it, the raw head (request line and headers) and body, and what it must get. */
    record Malformed(String description, String caller, String head, String body, int status, String problemType) {
        @Override
        public String toString() {
            return description;
        }
    }

    Stream<Arguments> corpus() throws Exception {
        String device = "{\"eui64\":\"" + eui(1) + "\",\"template\":\"demo-sensor\"}";
        return Stream.of(
                // a JSON body declared as a multipart form: MultipartException was a 500
                api("JSON sent as multipart/form-data to POST /api/v1/devices", "admin",
                        "POST /api/v1/devices HTTP/1.1\r\nContent-Type: multipart/form-data; boundary=x", device,
                        415, "unsupported-media-type"),
                api("JSON sent as multipart/form-data to POST /api/v1/batches", "station",
                        "POST /api/v1/batches HTTP/1.1\r\nContent-Type: multipart/form-data; boundary=x",
                        "{\"template\":\"demo-sensor\",\"eui64s\":[\"" + EUI + "\"]}", 415, "unsupported-media-type"),
                api("JSON sent as multipart/form-data to POST /api/v1/stations", "admin",
                        "POST /api/v1/stations HTTP/1.1\r\nContent-Type: multipart/form-data",
                        "{\"name\":\"x\"}", 415, "unsupported-media-type"),
                api("a firmware upload whose multipart body has no parts", "admin",
                        "POST /api/v1/firmware/packages HTTP/1.1\r\nContent-Type: multipart/form-data; boundary=x",
                        "not multipart at all", 400, "invalid-field"),
                api("a firmware upload declared multipart without a boundary", "admin",
                        "POST /api/v1/firmware/packages HTTP/1.1\r\nContent-Type: multipart/form-data",
                        "not multipart at all", 400, "malformed-multipart"),
                api("a text/plain body", "admin", "POST /api/v1/devices HTTP/1.1\r\nContent-Type: text/plain",
                        device, 415, "unsupported-media-type"),
                // an Idempotency-Key with control bytes: RequestRejectedException was a 500
                api("an Idempotency-Key with a tab", "station",
                        "POST /api/v1/devices HTTP/1.1\r\n" + JSON + "\r\nIdempotency-Key: abc\tdef", device,
                        400, "invalid-field"),
                api("an Idempotency-Key with a C1 control byte", "station",
                        "POST /api/v1/devices HTTP/1.1\r\n" + JSON + "\r\nIdempotency-Key: abc\u0085def", device,
                        400, "rejected-request"),
                api("an Idempotency-Key with a C0 control byte", "station",
                        "POST /api/v1/devices HTTP/1.1\r\n" + JSON + "\r\nIdempotency-Key: abc\u0001def", device,
                        400, "rejected-request"),
                api("an Idempotency-Key with spaces", "station",
                        "POST /api/v1/devices HTTP/1.1\r\n" + JSON + "\r\nIdempotency-Key: bad key", device,
                        400, "invalid-field"),
                // an off-curve recipient key: "Point not on curve" was a 500
                api("a server export for an off-curve P-256 recipient key", "admin",
                        "POST /api/v1/templates/demo-sensor/servers/fleetkey/export HTTP/1.1\r\n" + JSON,
                        "{\"recipientPublicKey\":\"" + offCurveP256() + "\"}", 400, "invalid-field"),
                // Tomcat's own HTML 400s
                api("a NUL byte encoded in the path", "admin", "GET /api/v1/devices/%00 HTTP/1.1", "",
                        400, "rejected-request"),
                api("an encoded slash in the path", "admin", "GET /api/v1/devices/00%2F11 HTTP/1.1", "",
                        400, "rejected-request"),
                api("an oversize header", "admin", "GET /api/v1/devices/" + EUI + " HTTP/1.1\r\nX-Filler: "
                        + "x".repeat(20_000), "", 400, "headers-too-large"),
                // the request firewall's rejections
                api("a semicolon in the path", "admin", "GET /api/v1/devices;jsessionid=1 HTTP/1.1", "",
                        400, "rejected-request"),
                api("an encoded line feed in the path", "admin", "GET /api/v1/devices/%0A HTTP/1.1", "",
                        400, "rejected-request"),
                api("an encoded percent sign in the path", "admin", "GET /api/v1/devices/%25 HTTP/1.1", "",
                        400, "rejected-request"),
                api("a double slash in the path", "admin", "GET /api//v1/devices HTTP/1.1", "", 400, "rejected-request"),
                api("an encoded dot-dot segment", "admin", "GET /api/v1/%2e%2e/devices HTTP/1.1", "",
                        400, "rejected-request"),
                api("TRACE", "admin", "TRACE /api/v1/devices HTTP/1.1", "", 405, "method-not-allowed"),
                api("PUT where only POST is mapped", "admin", "PUT /api/v1/devices HTTP/1.1\r\n" + JSON, device,
                        405, "method-not-allowed"),
                api("an unknown API path", "admin", "GET /api/v1/no-such-thing HTTP/1.1", "", 404, "not-found"),
                api("an unknown API path without a login", "anonymous", "GET /api/v1/no-such-thing HTTP/1.1", "",
                        401, "unauthenticated"),
                // bodies
                api("truncated JSON", "station", "POST /api/v1/devices HTTP/1.1\r\n" + JSON, "{\"eui64\":", 400,
                        "malformed-body"),
                api("a JSON array instead of an object", "station", "POST /api/v1/devices HTTP/1.1\r\n" + JSON, "[]", 400,
                        "malformed-body"),
                api("an array where a string belongs", "station", "POST /api/v1/devices HTTP/1.1\r\n" + JSON,
                        "{\"eui64\":[\"" + EUI + "\"],\"template\":\"demo-sensor\"}", 400, "malformed-body"),
                api("a fractional quotaPerMinute", "admin", "POST /api/v1/stations HTTP/1.1\r\n" + JSON,
                        "{\"name\":\"fraction\",\"allowedTemplates\":[\"demo-sensor\"],\"quotaPerMinute\":1.5}", 400,
                        "malformed-body"),
                api("only unknown fields", "station", "POST /api/v1/devices HTTP/1.1\r\n" + JSON, "{\"serial\":1}", 400,
                        "invalid-field"),
                api("an oversize body", "admin", "POST /api/v1/stations HTTP/1.1\r\n" + JSON,
                        "{\"name\":\"" + "n".repeat(3_000_000) + "\"}", 400, "invalid-field"),
                api("an EUI-64 that is not hex", "station", "POST /api/v1/devices HTTP/1.1\r\n" + JSON,
                        "{\"eui64\":\"00-11-22-FF-FE-0E-00-GG\",\"template\":\"demo-sensor\"}", 400, "invalid-field"),
                api("an EUI-64 with a trailing NUL", "station", "POST /api/v1/devices HTTP/1.1\r\n" + JSON,
                        "{\"eui64\":\"" + eui(2) + "\\u0000\",\"template\":\"demo-sensor\"}", 400, "invalid-field"),
                api("an EUI-64 with a trailing space", "station", "POST /api/v1/devices HTTP/1.1\r\n" + JSON,
                        "{\"eui64\":\"" + eui(3) + " \",\"template\":\"demo-sensor\"}", 400, "invalid-field"),
                api("a template name with a trailing NUL", "station", "POST /api/v1/devices HTTP/1.1\r\n" + JSON,
                        "{\"eui64\":\"" + eui(4) + "\",\"template\":\"demo-sensor\\u0000\"}", 400, "invalid-field"),
                api("a template name with a trailing space", "admin", "POST /api/v1/devices HTTP/1.1\r\n" + JSON,
                        "{\"eui64\":\"" + eui(5) + "\",\"template\":\"demo-sensor \"}", 400, "invalid-field"),
                api("a batch naming a template version that does not exist", "station",
                        "POST /api/v1/batches HTTP/1.1\r\n" + JSON,
                        "{\"template\":\"demo-sensor@99\",\"eui64s\":[\"" + EUI + "\"]}", 400, "invalid-field"),
                api("a publicKey that is not base64", "station", "POST /api/v1/devices HTTP/1.1\r\n" + JSON,
                        "{\"eui64\":\"" + eui(6) + "\",\"template\":\"demo-x509\",\"publicKey\":\"!!not base64!!\"}", 400,
                        "invalid-field"),
                api("a PEM block that is not a public key", "station", "POST /api/v1/devices HTTP/1.1\r\n" + JSON,
                        "{\"eui64\":\"" + eui(7) + "\",\"template\":\"demo-x509\",\"publicKey\":\"-----BEGIN CERTIFICATE"
                                + "-----\\nAAAA\\n-----END CERTIFICATE-----\"}", 400, "invalid-field"),
                api("a CSR that is random bytes", "station", "POST /api/v1/devices HTTP/1.1\r\n" + JSON,
                        "{\"eui64\":\"" + eui(8) + "\",\"template\":\"demo-x509\",\"csr\":\"AAECAwQFBgcICQ==\"}", 400,
                        "invalid-field"),
                api("a CSR asking for another device's EUI-64", "station", "POST /api/v1/devices HTTP/1.1\r\n" + JSON,
                        "{\"eui64\":\"" + eui(9) + "\",\"template\":\"demo-x509\",\"csr\":\""
                                + csr("CN=00-11-22-FF-FE-99-99-99", null) + "\"}", 400, "invalid-field"),
                api("a CSR whose subjectAltName names a DNS host", "station", "POST /api/v1/devices HTTP/1.1\r\n" + JSON,
                        "{\"eui64\":\"" + eui(10) + "\",\"template\":\"demo-x509\",\"csr\":\""
                                + csr("", new GeneralName(GeneralName.dNSName, "evil.example.com")) + "\"}", 400,
                        "invalid-field"),
                // the admin UI: its own error page, not Tomcat's and not JSON
                ui("a NUL byte in a UI path", "GET /devices/%00 HTTP/1.1", 400),
                ui("an encoded slash in a UI path", "GET /devices/a%2Fb HTTP/1.1", 400),
                ui("an oversize header on a UI page", "GET /login HTTP/1.1\r\nX-Filler: " + "x".repeat(20_000), 400),
                ui("a semicolon in a UI path", "GET /login;x=1 HTTP/1.1", 400),
                ui("a double slash in a UI path", "GET //login HTTP/1.1", 400),
                ui("TRACE on a UI page", "TRACE /login HTTP/1.1", 405));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void everyMalformedRequestGetsItsStatusAndAnErrorTheCallerCanRead(Malformed request) {
        RawHttp.Response response = RawHttp.send(port, head(request), request.body());

        String shown = request.description() + " -> " + response.status() + " " + response.contentType() + " "
                + abbreviate(response.body());
        assertThat(response.status()).as(shown).isEqualTo(request.status());
        if (request.problemType() != null) {
            assertThat(response.contentType()).as(shown).startsWith("application/problem+json");
            assertThat(response.body()).as(shown)
                    .contains("\"type\":\"urn:fleetkey:problem:" + request.problemType() + "\"")
                    .contains("\"status\":" + request.status())
                    .contains("\"detail\":");
        } else {
            assertThat(response.contentType()).as(shown).startsWith("text/html");
            assertThat(response.body()).as(shown).contains("error-page").contains("Fleetkey").doesNotContain("Tomcat");
        }
    }

    private String head(Malformed request) {
        return switch (request.caller()) {
            case "admin" -> request.head() + "\r\n" + admin;
            case "station" -> request.head() + "\r\n" + station;
            default -> request.head();
        };
    }

    private static Arguments api(String description, String caller, String head, String body, int status, String type) {
        return Arguments.of(new Malformed(description, caller, head, body, status, type));
    }

    private static Arguments ui(String description, String head, int status) {
        return Arguments.of(new Malformed(description, "anonymous", head, "", status, null));
    }

    /** A P-256 SubjectPublicKeyInfo whose point is moved off the curve (the last byte of y changed). */
    private static String offCurveP256() throws Exception {
        byte[] spki = p256().getPublic().getEncoded();
        spki[spki.length - 1] ^= 0x01;
        return Base64.getEncoder().encodeToString(spki);
    }

    /** A signed CSR (base64 DER) with {@code subject} and, if given, a requested subjectAltName. */
    private static String csr(String subject, GeneralName altName) throws Exception {
        KeyPair keys = p256();
        JcaPKCS10CertificationRequestBuilder builder = new JcaPKCS10CertificationRequestBuilder(new X500Name(subject),
                keys.getPublic());
        if (altName != null) {
            ExtensionsGenerator extensions = new ExtensionsGenerator();
            extensions.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(altName));
            builder.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate());
        }
        return Base64.getEncoder().encodeToString(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())).getEncoded());
    }

    private static KeyPair p256() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    /** A distinct EUI-64 per case, so a request wrongly accepted cannot make the next one a conflict. */
    private static String eui(int n) {
        return String.format("00-11-22-FF-FE-0E-00-%02X", n);
    }

    private static String abbreviate(String s) {
        String oneLine = s.replaceAll("\\s+", " ");
        return oneLine.length() > 300 ? oneLine.substring(0, 300) + "..." : oneLine;
    }
}
