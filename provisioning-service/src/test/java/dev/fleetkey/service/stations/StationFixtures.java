package dev.fleetkey.service.stations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetkey.service.ApiClient;
import dev.fleetkey.service.TestService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import tools.jackson.databind.JsonNode;

/** Shared set-up for station tests: a templates directory with every reprovision policy, stations made over HTTP. */
public final class StationFixtures {

    /** demo-sensor (policy fail) as committed; demo-keep is the same with return-existing. */
    static final String FAIL_TEMPLATE = "demo-sensor";
    static final String RETURN_EXISTING_TEMPLATE = "demo-keep";

    private StationFixtures() {
    }

    /** A fresh templates directory: the repository's templates plus {@link #RETURN_EXISTING_TEMPLATE}. */
    static Path templatesDir(Path dataDir) {
        try {
            Path dir = Files.createDirectories(dataDir.resolveSibling("templates"));
            String demo = Files.readString(TestService.repositoryTemplates().resolve("demo-sensor.yaml"));
            Files.writeString(dir.resolve("demo-sensor.yaml"), demo);
            Files.writeString(dir.resolve("demo-keep.yaml"), demo.replace("id: demo-sensor", "id: demo-keep")
                    .replace("reprovision-policy: fail", "reprovision-policy: return-existing"));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A station made by the administrator; answers its id and token. */
    public record MadeStation(long id, String token) {
    }

    public static MadeStation createStation(ApiClient admin, String name, int quota, String... templates) {
        StringBuilder list = new StringBuilder();
        for (String t : templates) {
            list.append(list.length() == 0 ? "" : ",").append('"').append(t).append('"');
        }
        HttpResponse<byte[]> created = admin.postJson("/api/v1/stations",
                "{\"name\":\"" + name + "\",\"allowedTemplates\":[" + list + "],\"quotaPerMinute\":" + quota + "}");
        assertThat(created.statusCode()).as(ApiClient.text(created)).isEqualTo(201);
        JsonNode body = ApiClient.json(created);
        return new MadeStation(body.get("station").get("id").longValue(), body.get("token").stringValue());
    }

    /** Waits until the batch accepted by {@code accepted} (202, its status at Location) finished; its final status. */
    static JsonNode awaitBatchFinished(ApiClient client, HttpResponse<byte[]> accepted) throws InterruptedException {
        assertThat(accepted.statusCode()).as(ApiClient.text(accepted)).isEqualTo(202);
        return awaitBatchFinished(client, accepted.headers().firstValue("Location").orElseThrow());
    }

    /** Polls the batch status at {@code location} until it is FINISHED (at most 3 minutes); its final status. */
    static JsonNode awaitBatchFinished(ApiClient client, String location) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        while (Instant.now().isBefore(deadline)) {
            JsonNode status = ApiClient.json(client.get(location));
            if ("FINISHED".equals(status.get("state").stringValue())) {
                return status;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("batch " + location + " did not finish within 3 minutes");
    }
}
