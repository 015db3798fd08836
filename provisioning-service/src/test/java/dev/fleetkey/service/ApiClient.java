package dev.fleetkey.service;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Real HTTP against a running service, as curl would do it. */
public final class ApiClient {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newHttpClient();
    private final String base;
    private final String authorization;

    private ApiClient(String base, String authorization) {
        this.base = base;
        this.authorization = authorization;
    }

    public static ApiClient admin(int port, String password) {
        return new ApiClient("http://localhost:" + port, "Basic " + Base64.getEncoder()
                .encodeToString(("admin:" + password).getBytes(StandardCharsets.UTF_8)));
    }

    /** A station calling with its bearer token. */
    public static ApiClient station(int port, String token) {
        return new ApiClient("http://localhost:" + port, "Bearer " + token);
    }

    /** A client sending {@code authorization} (a whole Authorization header value, or null) with every request. */
    public static ApiClient withAuthorization(int port, String authorization) {
        return new ApiClient("http://localhost:" + port, authorization);
    }

    public static ApiClient anonymous(int port) {
        return new ApiClient("http://localhost:" + port, null);
    }

    public HttpResponse<byte[]> get(String path) {
        return send(request(path).GET().build());
    }

    public HttpResponse<byte[]> postJson(String path, String body) {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /**
     * Any request: {@code body} null for none (else sent as JSON unless a Content-Type is among
     * {@code headers}, given as name, value pairs).
     */
    public HttpResponse<byte[]> send(String method, String path, String body, String... headers) {
        HttpRequest.Builder b = request(path);
        boolean typed = false;
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
            typed |= headers[i].equalsIgnoreCase("Content-Type");
        }
        if (body != null && !typed) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return send(b.build());
    }

    /** Provisions {@code eui64} from {@code template}. */
    public HttpResponse<byte[]> provision(String eui64, String template) {
        return postJson("/api/v1/devices", "{\"eui64\":\"" + eui64 + "\",\"template\":\"" + template + "\"}");
    }

    public static JsonNode json(HttpResponse<byte[]> response) {
        return JSON.readTree(response.body());
    }

    public static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    /** A request to {@code path} carrying this client's Authorization header. */
    public HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return b;
    }

    /** Sends {@code request}; I/O failures surface as unchecked exceptions in tests. */
    public HttpResponse<byte[]> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
