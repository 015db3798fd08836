package dev.fleetkey.service.endpoint.load;

import dev.fleetkey.bundle.BundleVerifier;
import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.bundle.VerificationContext;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Devices made the way a line makes them: a station (created by the administrator) provisions them in one batch
 * through the station API, then the station downloads each device's bundle, verifies it against the service's
 * bundle signer, and keeps its credential for the endpoint's server for a {@link DeviceClient}.
 */
final class ProvisionedDevices {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String url;
    private final String admin;

    ProvisionedDevices(String url, String adminUser, String adminPassword) {
        this.url = url;
        this.admin = "Basic " + Base64.getEncoder().encodeToString((adminUser + ":" + adminPassword)
                .getBytes(StandardCharsets.UTF_8));
    }

    /** {@code count} new devices of {@code template}, with the credential each holds for {@code serverName}. */
    List<DeviceCredentials> provision(String template, int count, String serverName) throws Exception {
        String run = Long.toHexString(System.nanoTime() & 0xffffff);
        String token = JSON.readTree(expect(201, post("/api/v1/stations", admin, "{\"name\":\"load-" + run + "-"
                + template + "\",\"allowedTemplates\":[\"" + template + "\"],\"quotaPerMinute\":100000}"))).get("token")
                .stringValue();
        int prefix = ThreadLocalRandom.current().nextInt(1 << 16);
        List<String> eui64s = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            eui64s.add(String.format("02-%02X-%02X-FF-FE-%02X-%02X-%02X", 0xEE, prefix >> 8 & 0xff, prefix & 0xff,
                    i >> 8 & 0xff, i & 0xff));
        }
        String location = send(HttpRequest.newBuilder(URI.create(url + "/api/v1/batches"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("template", template,
                        "eui64s", eui64s)))).build()).headers().firstValue("Location")
                .orElseThrow(() -> new IllegalStateException("the batch was not accepted"));
        JsonNode status;
        while (true) {
            status = JSON.readTree(expect(200, send(HttpRequest.newBuilder(URI.create(url + location))
                    .header("Authorization", "Bearer " + token).GET().build())));
            if ("FINISHED".equals(status.get("state").stringValue())) {
                if (status.get("failed").intValue() > 0) {
                    throw new IllegalStateException("the station failed to provision " + status.get("failed")
                            + " devices of " + template);
                }
                break;
            }
            Thread.sleep(200);
        }
        BundleVerifier verifier = BundleVerifier.builder().trustAnchor(bundleSigner()).build();
        List<DeviceCredentials> devices = new ArrayList<>();
        for (JsonNode item : status.get("items")) {
            String eui64 = item.get("eui64").stringValue();
            // the station's copy: it holds the private keys the service made (a template may delete them after)
            byte[] signed = expect(200, send(HttpRequest.newBuilder(URI.create(url + item.get("bundle").stringValue()))
                    .header("Authorization", "Bearer " + token).GET().build()));
            devices.add(DeviceCredentials.from(eui64, verifier.verify(signed,
                    VerificationContext.forDevice(Eui64.parse(eui64), -1)).payload(), serverName));
        }
        return devices;
    }

    private X509Certificate bundleSigner() throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(
                expect(200, send(HttpRequest.newBuilder(URI.create(url + "/api/v1/trust/bundle-signer.pem")).GET().build()))));
    }

    private HttpResponse<byte[]> post(String path, String authorization, String json) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(url + path)).header("Authorization", authorization)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    private HttpResponse<byte[]> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    private static byte[] expect(int status, HttpResponse<byte[]> response) {
        if (response.statusCode() != status) {
            throw new IllegalStateException(response.request().method() + " " + response.uri().getPath() + " answered "
                    + response.statusCode() + ": " + new String(response.body(), StandardCharsets.UTF_8));
        }
        return response.body();
    }
}
