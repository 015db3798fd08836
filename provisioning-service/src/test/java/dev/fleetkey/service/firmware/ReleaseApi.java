package dev.fleetkey.service.firmware;

import dev.fleetkey.service.ApiClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/** Real HTTP to the firmware API with a given Authorization header (Bearer release token, Basic, or none). */
public final class ReleaseApi {

    private final ApiClient client;

    public ReleaseApi(int port, String authorization) {
        this.client = ApiClient.withAuthorization(port, authorization);
    }

    public HttpResponse<byte[]> release(String template, String hardwareClass, String version, byte[] image) {
        String boundary = "test-boundary-7d1f";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try {
            for (String[] field : new String[][] {{"template", template}, {"hardwareClass", hardwareClass},
                    {"firmwareVersion", version}}) {
                body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field[0] + "\"\r\n\r\n"
                        + field[1] + "\r\n").getBytes(StandardCharsets.UTF_8));
            }
            body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"fw.bin\"\r\n"
                    + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            body.write(image);
            body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return send(request("/api/v1/firmware/packages").header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build());
    }

    HttpResponse<byte[]> post(String path, String contentType, String body) {
        return send(request(path).header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    HttpResponse<byte[]> delete(String path) {
        return send(request(path).DELETE().build());
    }

    HttpResponse<byte[]> get(String path) {
        return send(request(path).GET().build());
    }

    private HttpRequest.Builder request(String path) {
        return client.request(path);
    }

    private HttpResponse<byte[]> send(HttpRequest request) {
        return client.send(request);
    }
}
