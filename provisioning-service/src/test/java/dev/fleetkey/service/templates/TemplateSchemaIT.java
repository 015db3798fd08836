package dev.fleetkey.service.templates;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetkey.service.ApiClient;
import dev.fleetkey.service.TestService;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** {@code GET /api/v1/templates/schema} over real HTTP: the committed schema, for administrators, in the API description. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class TemplateSchemaIT {

    private static final Path DATA_DIR = TestService.newDataDir();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestService.register(registry, DATA_DIR);
    }

    @LocalServerPort
    int port;

    @Test
    void anAdministratorGetsTheCommittedSchema() throws Exception {
        HttpResponse<byte[]> response = ApiClient.admin(port, TestService.ADMIN_PASSWORD).get("/api/v1/templates/schema");

        assertThat(response.statusCode()).as(ApiClient.text(response)).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/schema+json"));
        assertThat(ApiClient.text(response)).isEqualTo(Files.readString(
                TestService.repositoryTemplates().resolve("fleetkey-template.schema.json"), StandardCharsets.UTF_8));
        assertThat(ApiClient.json(response).at("/properties/servers/items/properties/mode/enum").toString())
                .isEqualTo("[\"psk\",\"rpk\",\"x509\"]");
    }

    @Test
    void aToolAskingForJsonGetsTheSameDocumentAsJson() {
        ApiClient admin = ApiClient.admin(port, TestService.ADMIN_PASSWORD);
        HttpResponse<byte[]> response = admin.send("GET", "/api/v1/templates/schema", null, "Accept", "application/json");

        assertThat(response.statusCode()).as(ApiClient.text(response)).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(ApiClient.text(response)).isEqualTo(TemplateSchema.text());
    }

    @Test
    void anEditorFetchesTheSchemaWithoutLoggingInButNoOtherTemplateApi() {
        ApiClient anonymous = ApiClient.anonymous(port);
        HttpResponse<byte[]> schema = anonymous.get("/api/v1/templates/schema");
        HttpResponse<byte[]> templates = anonymous.get("/api/v1/templates");

        assertThat(schema.statusCode()).as(ApiClient.text(schema)).isEqualTo(200);
        assertThat(ApiClient.text(schema)).isEqualTo(TemplateSchema.text());
        assertThat(templates.statusCode()).isEqualTo(401);
        assertThat(templates.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }

    @Test
    void theApiDescriptionShowsTheSchemaOperationWithAnExample() {
        HttpResponse<byte[]> docs = ApiClient.anonymous(port).get("/v3/api-docs");

        JsonNode operation = ApiClient.json(docs).at("/paths/~1api~1v1~1templates~1schema/get");
        assertThat(operation.path("summary").asString()).isEqualTo("The JSON Schema of templates");
        JsonNode example = operation.at("/responses/200/content/application~1schema+json/examples");
        assertThat(example.toString()).contains("draft-07").contains("additionalProperties");
    }
}
