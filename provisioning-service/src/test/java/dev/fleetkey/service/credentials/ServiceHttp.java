package dev.fleetkey.service.credentials;

import dev.fleetkey.service.ApiClient;
import dev.fleetkey.service.TestService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Real HTTP as an admin, with request headers, plus a templates directory with extra test templates. */
public final class ServiceHttp {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final ApiClient client;

    public ServiceHttp(int port) {
        this.client = ApiClient.admin(port, TestService.ADMIN_PASSWORD);
    }

    public HttpResponse<byte[]> get(String path, String... headers) {
        return send(request(path, headers).GET().build());
    }

    public HttpResponse<byte[]> post(String path, String json, String... headers) {
        return send(request(path, headers).header("Content-Type", "application/json")
                .POST(json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                .build());
    }

    /** Provisions with optional extra JSON members, e.g. {@code "publicKey": "..."}. */
    public HttpResponse<byte[]> provision(String eui64, String template, String extraMember) {
        return post("/api/v1/devices", "{\"eui64\":\"" + eui64 + "\",\"template\":\"" + template + "\""
                + (extraMember == null ? "" : "," + extraMember) + "}");
    }

    public static JsonNode json(HttpResponse<byte[]> response) {
        return ApiClient.json(response);
    }

    public static String text(HttpResponse<byte[]> response) {
        return ApiClient.text(response);
    }

    /** A JSON string literal. */
    public static String quote(String s) {
        return JSON.writeValueAsString(s);
    }

    /** The repository's templates plus {@code extra} (file name to YAML) in a new directory under target/. */
    public static Path templatesWith(Map<String, String> extra) {
        try {
            Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "test-data")
                    .toAbsolutePath()), "templates-");
            try (Stream<Path> files = Files.list(TestService.repositoryTemplates())) {
                for (Path f : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                    Files.copy(f, dir.resolve(f.getFileName()));
                }
            }
            for (Map.Entry<String, String> e : extra.entrySet()) {
                Files.writeString(dir.resolve(e.getKey()), e.getValue());
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private HttpRequest.Builder request(String path, String... headers) {
        HttpRequest.Builder b = client.request(path);
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return b;
    }

    private HttpResponse<byte[]> send(HttpRequest request) {
        return client.send(request);
    }
}
