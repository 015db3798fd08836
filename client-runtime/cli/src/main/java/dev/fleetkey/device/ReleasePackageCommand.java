package dev.fleetkey.device;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "package", description = "Upload a firmware image to the provisioning service, which signs an update"
        + " package (manifest, fleet config bundle, image); download the package into --out. The release token is"
        + " read from the environment variable named by --token-env, never from the command line.",
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:package written", "1:usage error",
                "2:image or output directory unusable, or token variable unset", "5:the service refused the release",
                "6:the service could not be reached", ExitCodes.INTERNAL_ERROR_LINE})
final class ReleasePackageCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--service", required = true, paramLabel = "URL", description = "e.g. https://fleetkey.example.net")
    private URI service;

    @Option(names = "--token-env", defaultValue = "FLEETKEY_RELEASE_TOKEN", paramLabel = "VAR",
            description = "the environment variable holding the release token fkr_... (default: ${DEFAULT-VALUE})")
    private String tokenVariable;

    @Option(names = "--template", required = true, paramLabel = "ID@VERSION", description = "e.g. demo-sensor@1")
    private String template;

    @Option(names = "--hardware", required = true, paramLabel = "HW", description = "hardware class, e.g. rev-b")
    private String hardwareClass;

    @Option(names = "--version", required = true, paramLabel = "VERSION", description = "firmware version, e.g. 1.2.0")
    private String firmwareVersion;

    @Option(names = "--image", required = true, paramLabel = "FILE", description = "the firmware image")
    private Path image;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "where to write the package")
    private Path out;

    @Override
    public Integer call() throws CommandFailure {
        String token = System.getenv(tokenVariable);
        if (token == null || token.isBlank()) {
            throw new CommandFailure.Unusable("environment variable " + tokenVariable
                    + " is not set: put the release token (fkr_...) there");
        }
        byte[] imageBytes = BundleFiles.read(image, "image");
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new CommandFailure.Unusable("cannot create output directory " + out + ": " + e.getMessage());
        }
        String boundary = "fleetkey-" + UUID.randomUUID();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> created;
        HttpResponse<byte[]> download;
        String location;
        try {
            created = http.send(HttpRequest.newBuilder(service.resolve("/api/v1/firmware/packages"))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .header("Accept", "application/json")
                    .timeout(Duration.ofMinutes(2))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(multipart(boundary, imageBytes))).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (created.statusCode() != 201 && created.statusCode() != 200) {
                throw new CommandFailure.ServiceRefused("the service refused the release (HTTP "
                        + created.statusCode() + "): " + created.body());
            }
            location = created.headers().firstValue("Location").orElseThrow(() ->
                    new CommandFailure.ServiceRefused("the service answered without a package location"));
            download = http.send(HttpRequest.newBuilder(service.resolve(location))
                    .header("Authorization", "Bearer " + token).timeout(Duration.ofMinutes(2)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new CommandFailure.ServiceUnreachable("cannot reach " + service + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandFailure.ServiceUnreachable("interrupted while talking to " + service, e);
        }
        if (download.statusCode() != 200) {
            throw new CommandFailure.ServiceRefused("downloading " + location + " failed (HTTP "
                    + download.statusCode() + ")");
        }
        Path file = out.resolve(template.replace('@', '-') + "-" + hardwareClass + "-" + firmwareVersion + ".fkpkg");
        try {
            Files.write(file, download.body());
        } catch (IOException e) {
            throw new CommandFailure.Unusable("cannot write " + file + ": " + e.getMessage());
        }
        spec.commandLine().getOut().println(created.body());
        spec.commandLine().getOut().println("package written to " + file + " (" + download.body().length + " bytes)");
        return ExitCodes.OK;
    }

    private byte[] multipart(String boundary, byte[] imageBytes) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        field(body, boundary, "template", template);
        field(body, boundary, "hardwareClass", hardwareClass);
        field(body, boundary, "firmwareVersion", firmwareVersion);
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\""
                + image.getFileName().toString().replace("\"", "") + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.write(imageBytes);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return body.toByteArray();
    }

    private static void field(ByteArrayOutputStream body, String boundary, String name, String value) throws IOException {
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n")
                .getBytes(StandardCharsets.UTF_8));
    }
}
