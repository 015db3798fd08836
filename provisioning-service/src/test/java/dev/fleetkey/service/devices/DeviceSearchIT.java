package dev.fleetkey.service.devices;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.service.ApiClient;
import dev.fleetkey.service.TestService;
import dev.fleetkey.service.stations.StationFixtures;
import dev.fleetkey.service.users.Role;
import dev.fleetkey.service.users.UserAdministration;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** GET /api/v1/devices, its summary and its export, over real HTTP on a real H2 database, for each kind of caller. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DeviceSearchIT {

    private static final String PASSWORD = "a-long-enough-password-1";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestService.register(registry, TestService.newDataDir());
    }

    @LocalServerPort
    int port;

    @Autowired
    UserAdministration users;

    @Autowired
    DeviceRepository devices;

    @Autowired
    DevicePsks psks;

    @Autowired
    JdbcClient jdbc;

    ApiClient admin;

    @BeforeEach
    void client() {
        admin = ApiClient.admin(port, TestService.ADMIN_PASSWORD);
    }

    @Test
    void pagesFollowTheLinkHeaderInCreationOrderAndADeviceProvisionedMeanwhileNeitherShiftsNorRepeatsAPage() {
        List<String> made = provisionAll("00-11-22-FF-FE-A1-00-0", 5, "demo-x509");

        HttpResponse<byte[]> first = admin.get("/api/v1/devices?template=demo-x509&eui64=00-11-22-ff-fe-a1&limit=2");
        assertThat(first.statusCode()).as(ApiClient.text(first)).isEqualTo(200);
        assertThat(euis(first)).containsExactly(made.get(0), made.get(1));
        String next = nextLink(first);
        assertThat(ApiClient.json(first).get("next").stringValue()).isEqualTo(next);

        String late = provisionAll("00-11-22-FF-FE-A1-00-9", 1, "demo-x509").get(0);
        List<String> rest = new ArrayList<>();
        HttpResponse<byte[]> page = get(next);
        rest.addAll(euis(page));
        page = get(nextLink(page));
        rest.addAll(euis(page));
        assertThat(page.headers().firstValue("Link")).isEmpty();
        assertThat(ApiClient.json(page).get("next").isNull()).isTrue();
        assertThat(rest).containsExactly(made.get(2), made.get(3), made.get(4), late);

        HttpResponse<byte[]> newest = admin.get("/api/v1/devices?eui64=00-11-22-FF-FE-A1&order=newest&limit=1");
        assertThat(euis(newest)).containsExactly(late);
    }

    @Test
    void eachFilterNarrowsTheListTheWayItsNameSays() {
        String psk = provisionAll("00-11-22-FF-FE-A2-00-0", 1, "demo-sensor").get(0);
        String x509 = provisionAll("00-11-22-FF-FE-A2-01-0", 1, "demo-x509").get(0);
        String revoked = provisionAll("00-11-22-FF-FE-A2-02-0", 1, "demo-sensor").get(0);
        assertThat(admin.postJson("/api/v1/devices/" + revoked + "/revoke", "{\"reason\":\"lost\"}").statusCode())
                .isEqualTo(200);
        ApiClient station = ApiClient.station(port, StationFixtures.createStation(admin, "line-a2", 600, "demo-sensor")
                .token());
        assertThat(station.provision("00-11-22-FF-FE-A2-03-01", "demo-sensor").statusCode()).isEqualTo(201);
        String prefix = "eui64=001122fffea2&";

        assertThat(euis(admin.get("/api/v1/devices?" + prefix + "mode=psk"))).containsExactly(psk, revoked,
                "00-11-22-FF-FE-A2-03-01");
        assertThat(euis(admin.get("/api/v1/devices?" + prefix + "mode=x509"))).containsExactly(x509);
        assertThat(euis(admin.get("/api/v1/devices?" + prefix + "template=demo-x509@1"))).containsExactly(x509);
        assertThat(euis(admin.get("/api/v1/devices?" + prefix + "revoked=true"))).containsExactly(revoked);
        assertThat(euis(admin.get("/api/v1/devices?" + prefix + "state=REVOKED"))).containsExactly(revoked);
        assertThat(euis(admin.get("/api/v1/devices?" + prefix + "revoked=false"))).doesNotContain(revoked).hasSize(3);
        assertThat(euis(admin.get("/api/v1/devices?" + prefix + "station=line-a2")))
                .containsExactly("00-11-22-FF-FE-A2-03-01");
        assertThat(euis(admin.get("/api/v1/devices?" + prefix + "certExpiringBefore=2999-01-01"))).containsExactly(x509);
        assertThat(euis(admin.get("/api/v1/devices?" + prefix + "certExpiringBefore=2000-01-01"))).isEmpty();
        assertThat(euis(admin.get("/api/v1/devices?" + prefix + "createdFrom=2000-01-01&createdTo=2999-01-01")))
                .hasSize(4);
        assertThat(euis(admin.get("/api/v1/devices?" + prefix + "createdFrom=2999-01-01"))).isEmpty();
        JsonNode item = ApiClient.json(admin.get("/api/v1/devices?" + prefix + "station=line-a2")).get("devices").get(0);
        assertThat(item.get("station").stringValue()).isEqualTo("line-a2");
        assertThat(item.get("modes").get(0).stringValue()).isEqualTo("psk");
    }

    @Test
    void revokedMeansTheDeviceWasRevokedNotThatARotationEndedOneOfItsCredentials() {
        List<String> made = provisionAll("00-11-22-FF-FE-A7-00-0", 2, "demo-x509");
        assertThat(admin.postJson("/api/v1/devices/" + made.get(0) + "/rotate", "{\"overlap\":\"PT0S\"}").statusCode())
                .isEqualTo(200);
        assertThat(admin.postJson("/api/v1/devices/" + made.get(1) + "/revoke", "{\"reason\":\"lost\"}").statusCode())
                .isEqualTo(200);
        String prefix = "eui64=00-11-22-FF-FE-A7&";

        assertThat(euis(admin.get("/api/v1/devices?" + prefix + "revoked=true"))).containsExactly(made.get(1));
        assertThat(euis(admin.get("/api/v1/devices?" + prefix + "revoked=false"))).containsExactly(made.get(0));
        // the rotated device's new certificate counts, the revoked device's certificate does not
        assertThat(euis(admin.get("/api/v1/devices?" + prefix + "certExpiringBefore=2999-01-01")))
                .containsExactly(made.get(0));
    }

    @Test
    void aBadFilterValueIsA400NamingTheParameterAndWhatIsAllowed() {
        assertProblem(admin.get("/api/v1/devices?limit=1001"), "limit", "from 1 to 1000");
        assertProblem(admin.get("/api/v1/devices?limit=ten"), "limit", "whole number");
        assertProblem(admin.get("/api/v1/devices?state=SLEEPING"), "state", "PROVISIONED, VERIFIED, FAILED, REVOKED");
        assertProblem(admin.get("/api/v1/devices?mode=pki"), "mode", "psk, rpk, x509");
        assertProblem(admin.get("/api/v1/devices?createdFrom=yesterday"), "createdFrom", "ISO-8601");
        assertProblem(admin.get("/api/v1/devices?revoked=maybe"), "revoked", "revoked=true");
        assertProblem(admin.get("/api/v1/devices?cursor=bm90LWEtY3Vyc29y"), "cursor", "copy it unchanged");
        assertProblem(admin.get("/api/v1/devices?station=nobody"), "station", "No station is called 'nobody'");
        assertProblem(admin.get("/api/v1/devices?stat=VERIFIED"), "stat", "There is no parameter 'stat'");
        assertProblem(admin.get("/api/v1/devices/export?format=xlsx"), "format", "csv or jsonl");
    }

    @Test
    void everyUserRoleMayListAndExportAStationListsOnlyItsOwnDevicesAndNobodyElseGetsIn() {
        users.create("oscar", PASSWORD, Role.OPERATOR);
        users.create("aude", PASSWORD, Role.AUDITOR);
        String eui = provisionAll("00-11-22-FF-FE-A4-01-0", 1, "demo-sensor").get(0);
        for (String user : List.of("oscar", "aude")) {
            ApiClient client = ApiClient.withAuthorization(port, "Basic " + Base64.getEncoder()
                    .encodeToString((user + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8)));
            assertThat(client.get("/api/v1/devices").statusCode()).isEqualTo(200);
            assertThat(client.get("/api/v1/devices/summary").statusCode()).isEqualTo(200);
            assertThat(client.get("/api/v1/devices/export").statusCode()).isEqualTo(200);
            HttpResponse<byte[]> one = client.get("/api/v1/devices/" + eui);
            assertThat(one.statusCode()).as(ApiClient.text(one)).isEqualTo(200);
            assertThat(ApiClient.json(one).get("eui64").asString()).isEqualTo(eui);
            // the bundle carries sealed secrets: administrators and stations only
            assertThat(client.get("/api/v1/devices/" + eui + "/bundle").statusCode()).isEqualTo(403);
        }
        assertThat(ApiClient.anonymous(port).get("/api/v1/devices").statusCode()).isEqualTo(401);

        ApiClient own = ApiClient.station(port, StationFixtures.createStation(admin, "line-a4", 600, "demo-sensor").token());
        ApiClient other = ApiClient.station(port, StationFixtures.createStation(admin, "line-a4b", 600, "demo-sensor")
                .token());
        assertThat(own.provision("00-11-22-FF-FE-A4-00-01", "demo-sensor").statusCode()).isEqualTo(201);
        assertThat(other.provision("00-11-22-FF-FE-A4-00-02", "demo-sensor").statusCode()).isEqualTo(201);
        assertThat(euis(own.get("/api/v1/devices?eui64=00-11-22-FF-FE-A4"))).containsExactly("00-11-22-FF-FE-A4-00-01");
        assertProblem(own.get("/api/v1/devices?station=line-a4b"), "station", "only the devices it provisioned");
        assertThat(own.get("/api/v1/devices/summary").statusCode()).isEqualTo(403);
        assertThat(own.get("/api/v1/devices/export").statusCode()).isEqualTo(403);
    }

    @Test
    void theSummaryCountsEveryDeviceByStateTemplateAndMode() {
        provisionAll("00-11-22-FF-FE-A5-00-0", 2, "demo-sensor");
        JsonNode summary = ApiClient.json(admin.get("/api/v1/devices/summary"));
        long all = jdbc.sql("SELECT COUNT(*) FROM devices").query(Long.class).single();

        assertThat(summary.get("total").longValue()).isEqualTo(all);
        long sumOfStates = 0;
        for (String state : List.of("PROVISIONED", "VERIFIED", "FAILED", "REVOKED")) {
            sumOfStates += summary.get("byState").get(state).longValue();
        }
        assertThat(sumOfStates).isEqualTo(all);
        long sensors = ApiClient.json(admin.get("/api/v1/devices?template=demo-sensor@1&limit=1000")).get("devices").size();
        assertThat(summary.get("byTemplate").get("demo-sensor@1").longValue()).isEqualTo(sensors).isGreaterThanOrEqualTo(2);
        long psk = ApiClient.json(admin.get("/api/v1/devices?mode=psk&limit=1000")).get("devices").size();
        assertThat(summary.get("byMode").get("PSK").longValue()).isEqualTo(psk);
    }

    @Test
    void theExportListsEachCredentialsPublicPartsAsCsvAndJsonLinesAndNeverASecret() {
        List<String> made = provisionAll("00-11-22-FF-FE-A6-00-0", 3, "demo-sensor");
        made.addAll(provisionAll("00-11-22-FF-FE-A6-01-0", 1, "demo-x509"));

        HttpResponse<byte[]> csv = admin.get("/api/v1/devices/export?eui64=00-11-22-FF-FE-A6");
        assertThat(csv.statusCode()).as(ApiClient.text(csv)).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/csv");
        String[] lines = ApiClient.text(csv).split("\r\n");
        assertThat(lines[0]).isEqualTo(String.join(",", DeviceExportFormat.COLUMNS));
        assertThat(lines).hasSize(1 + 4);
        assertThat(lines[1]).startsWith(made.get(0) + ",demo-sensor@1,PROVISIONED,,");
        assertThat(lines[4]).startsWith(made.get(3) + ",demo-x509@1,").contains(",x509,");

        HttpResponse<byte[]> jsonl = admin.get("/api/v1/devices/export?format=jsonl&eui64=00-11-22-FF-FE-A6&mode=psk");
        assertThat(jsonl.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/jsonl");
        String[] objects = ApiClient.text(jsonl).split("\n");
        assertThat(objects).hasSize(3);
        String identity = HexFormat.of().formatHex(devices.activeCredentials(devices.findByEui64(Eui64.parse(made.get(0)))
                .orElseThrow().id()).get(0).pskIdentity());
        assertThat(objects[0]).contains("\"eui64\":\"" + made.get(0) + "\"", "\"pskIdentityHex\":\"" + identity + "\"");

        String everything = ApiClient.text(admin.get("/api/v1/devices/export")) + ApiClient.text(jsonl);
        for (String eui : made) {
            Device device = devices.findByEui64(Eui64.parse(eui)).orElseThrow();
            for (DevicePsks.OpenPsk psk : psks.activePsks(device)) {
                byte[] key = psk.credential().key();
                assertThat(everything).doesNotContainIgnoringCase(HexFormat.of().formatHex(key))
                        .doesNotContain(Base64.getEncoder().encodeToString(key));
                psk.wipe();
            }
        }
    }

    @Test
    void theOpenApiDocumentDescribesTheListSummaryAndExportWithTheirFiltersAndExamples() {
        JsonNode paths = ApiClient.json(ApiClient.anonymous(port).get("/v3/api-docs")).get("paths");

        JsonNode list = paths.get("/api/v1/devices").get("get");
        List<String> parameters = new ArrayList<>();
        list.get("parameters").forEach(p -> parameters.add(p.get("name").stringValue()));
        assertThat(parameters).containsAll(DeviceQuery.PARAMETERS).contains("cursor", "limit", "order")
                .doesNotContain("parameters", "caller");
        assertThat(list.get("description").stringValue()).contains("rel=\"next\"");
        assertThat(list.get("responses").get("200").get("content").get("application/json").get("examples")
                .get("page").get("value").toString()).contains("00-11-22-FF-FE-00-00-01");
        assertThat(paths.get("/api/v1/devices/summary").get("get").get("responses").get("200").get("content")
                .get("application/json").get("examples").get("summary").get("value").toString()).contains("byState");
        JsonNode export = paths.get("/api/v1/devices/export").get("get");
        assertThat(export.get("responses").get("200").get("content").properties()).extracting(java.util.Map.Entry::getKey)
                .contains("text/csv", "application/jsonl");
        assertThat(export.get("responses").get("400")).isNotNull();
    }

    @Test
    void theExportStreamsThousandsOfDevicesInCreationOrderWithoutBufferingTheAnswer() throws Exception {
        int count = 3000;
        Instant start = Instant.parse("2026-02-01T00:00:00Z");
        for (int i = 0; i < count; i++) {
            // plain rows, as a large fleet would have them; inserted newest first so only the sort can order them
            int n = count - 1 - i;
            jdbc.sql("INSERT INTO devices (eui64, template_id, template_version, state, created_at, updated_at)"
                    + " VALUES (:eui, 'bulk', 1, 'VERIFIED', :at, :at)")
                    .param("eui", String.format("00-11-22-FF-FE-B0-%02X-%02X", n / 256, n % 256))
                    .param("at", start.plusSeconds(n).atOffset(ZoneOffset.UTC)).update();
        }

        HttpResponse<InputStream> response = HttpClient.newHttpClient().send(
                admin.request("/api/v1/devices/export?template=bulk&format=csv").GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());

        assertThat(response.statusCode()).isEqualTo(200);
        // streamed: sent in chunks as rows are read, not measured (and so held) first
        assertThat(response.headers().firstValue("Transfer-Encoding")).hasValue("chunked");
        assertThat(response.headers().firstValue("Content-Length")).isEmpty();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            assertThat(lines.readLine()).startsWith("eui64,template,");
            for (int n = 0; n < count; n++) {
                assertThat(lines.readLine()).startsWith(String.format("00-11-22-FF-FE-B0-%02X-%02X,bulk@1,VERIFIED,,%s,",
                        n / 256, n % 256, start.plusSeconds(n)));
            }
            assertThat(lines.readLine()).isNull();
        }
    }

    private List<String> provisionAll(String euiStart, int count, String template) {
        List<String> made = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            String eui = euiStart + i;
            HttpResponse<byte[]> created = admin.provision(eui, template);
            assertThat(created.statusCode()).as(ApiClient.text(created)).isEqualTo(201);
            made.add(eui);
        }
        return made;
    }

    private HttpResponse<byte[]> get(String absolute) {
        return admin.get(absolute.substring(absolute.indexOf("/api/")));
    }

    private static String nextLink(HttpResponse<byte[]> response) {
        String link = response.headers().firstValue("Link").orElseThrow();
        assertThat(link).matches("<http://localhost:\\d+/api/v1/devices\\?.*cursor=[A-Za-z0-9_-]+>; rel=\"next\"");
        return link.substring(1, link.indexOf('>'));
    }

    private static List<String> euis(HttpResponse<byte[]> response) {
        assertThat(response.statusCode()).as(ApiClient.text(response)).isEqualTo(200);
        List<String> euis = new ArrayList<>();
        ApiClient.json(response).get("devices").forEach(d -> euis.add(d.get("eui64").stringValue()));
        return euis;
    }

    private static void assertProblem(HttpResponse<byte[]> response, String field, String detail) {
        assertThat(response.statusCode()).as(ApiClient.text(response)).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(ApiClient.json(response).get("field").stringValue()).isEqualTo(field);
        assertThat(ApiClient.json(response).get("detail").stringValue()).contains(detail);
    }
}
