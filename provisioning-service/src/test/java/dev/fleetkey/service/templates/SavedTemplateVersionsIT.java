package dev.fleetkey.service.templates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;

import dev.fleetkey.service.ApiClient;
import dev.fleetkey.service.TestService;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import tools.jackson.databind.JsonNode;

/**
 * Template versions saved in the admin UI's editor serve provisioning like files do: through the API over
 * real HTTP and through the device form, with file versions left read-only.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureMockMvc
class SavedTemplateVersionsIT {

    private static final Path DATA_DIR = TestService.newDataDir();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestService.register(registry, DATA_DIR);
    }

    @LocalServerPort
    int port;

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TemplateCatalog catalog;

    ApiClient admin;

    @BeforeEach
    void client() {
        admin = ApiClient.admin(port, TestService.ADMIN_PASSWORD);
    }

    @Test
    void aVersionSavedInTheEditorProvisionsDevicesThroughTheApi() throws Exception {
        save(demo("demo-x509.yaml").replace("version: 1", "version: 2").replace("certificate-validity: 3650d",
                "certificate-validity: 30d"));

        HttpResponse<byte[]> created = admin.provision("00-11-22-FF-FE-06-00-01", "demo-x509@2");
        HttpResponse<byte[]> latest = admin.provision("00-11-22-FF-FE-06-00-02", "demo-x509");
        HttpResponse<byte[]> file = admin.provision("00-11-22-FF-FE-06-00-03", "demo-x509@1");

        assertThat(created.statusCode()).as(ApiClient.text(created)).isEqualTo(201);
        assertThat(template(created)).isEqualTo("demo-x509@2");
        assertThat(template(latest)).as("a bare id means its highest version").isEqualTo("demo-x509@2");
        assertThat(template(file)).isEqualTo("demo-x509@1");
        assertThat(validityDays("00-11-22-FF-FE-06-00-01")).isEqualTo(30);
        assertThat(validityDays("00-11-22-FF-FE-06-00-03")).isEqualTo(3650);
    }

    @Test
    void aVersionSavedInTheEditorIsOfferedByTheDeviceFormAndProvisionsFromIt() throws Exception {
        save(demo("demo-sensor.yaml").replace("id: demo-sensor", "id: line-9-sensor").replace("version: 1", "version: 3"));
        mvc.perform(get("/devices").with(admin()))
                .andExpect(content().string(containsString("line-9-sensor@3")));

        mvc.perform(post("/devices").with(admin()).with(csrf()).param("eui64", "00-11-22-FF-FE-06-01-01")
                        .param("template", "line-9-sensor@3"))
                .andExpect(redirectedUrl("/devices/00-11-22-FF-FE-06-01-01"));

        assertThat(jdbc.sql("SELECT template_id || '@' || template_version FROM devices WHERE eui64 = :e")
                .param("e", "00-11-22-FF-FE-06-01-01").query(String.class).single()).isEqualTo("line-9-sensor@3");
        HttpResponse<byte[]> bundle = admin.get("/api/v1/devices/00-11-22-FF-FE-06-01-01/bundle");
        assertThat(bundle.statusCode()).as(ApiClient.text(bundle)).isEqualTo(200);
    }

    @Test
    void aVersionSavedThroughAnotherInstanceOnTheSameDatabaseProvisionsHereAtOnce() throws Exception {
        String yaml = demo("demo-sensor.yaml").replace("id: demo-sensor", "id: line-7-sensor").replace("version: 1", "version: 4");
        DeviceTemplate parsed = TemplateParser.parse("other instance", yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        new SavedTemplateVersions(jdbc).insert(parsed, yaml, "admin-on-instance-b");

        HttpResponse<byte[]> latest = admin.provision("00-11-22-FF-FE-06-02-01", "line-7-sensor");

        assertThat(latest.statusCode()).as(ApiClient.text(latest)).isEqualTo(201);
        assertThat(template(latest)).isEqualTo("line-7-sensor@4");
        assertThat(catalog.isSaved("line-7-sensor@4")).isTrue();
        mvc.perform(post("/templates/editor").with(admin()).with(csrf()).param("yaml", yaml).param("action", "save"))
                .andExpect(content().string(containsString("line-7-sensor has version 4 already; give this one version 5")));
    }

    @Test
    void fileVersionsStayReadOnlyAndASavedVersionMustBeHigher() throws Exception {
        String sameVersion = demo("demo-rpk.yaml").replace("validity: 365d", "validity: 30d");
        mvc.perform(post("/templates/editor").with(admin()).with(csrf()).param("yaml", sameVersion).param("action", "save"))
                .andExpect(content().string(containsString("demo-rpk has version 1 already; give this one version 2 or higher")));
        assertThat(catalog.find("demo-rpk@1").orElseThrow().bundle().validity()).hasDays(365);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM template_versions WHERE template_id = 'demo-rpk'").query(Long.class)
                .single()).isZero();
        mvc.perform(get("/templates").with(admin()))
                .andExpect(content().string(containsString("demo-rpk@1")));
    }

    private void save(String yaml) throws Exception {
        DeviceTemplate parsed = TemplateParser.parse("test", yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        mvc.perform(post("/templates/editor").with(admin()).with(csrf()).param("yaml", yaml).param("action", "save"))
                .andExpect(redirectedUrl("/templates/" + parsed.id() + "/" + parsed.version()));
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_events WHERE action = 'template.saved' AND subject = :s")
                .param("s", "template:" + parsed.reference()).query(Long.class).single()).isEqualTo(1);
    }

    private int validityDays(String eui64) throws Exception {
        byte[] der = jdbc.sql("SELECT c.certificate FROM device_credentials c JOIN devices d ON d.id = c.device_id"
                + " WHERE d.eui64 = :e").param("e", eui64).query(byte[].class).single();
        var certificate = (java.security.cert.X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                .generateCertificate(new java.io.ByteArrayInputStream(der));
        return (int) Math.round((certificate.getNotAfter().getTime() - certificate.getNotBefore().getTime()) / 86_400_000.0);
    }

    private static String template(HttpResponse<byte[]> response) {
        JsonNode body = ApiClient.json(response);
        return body.get("template").stringValue();
    }

    private static String demo(String file) throws Exception {
        return Files.readString(TestService.repositoryTemplates().resolve(file));
    }

    private static RequestPostProcessor admin() {
        return user("admin").roles("ADMIN");
    }
}
