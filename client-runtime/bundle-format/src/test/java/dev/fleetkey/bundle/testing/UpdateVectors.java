package dev.fleetkey.bundle.testing;

import dev.fleetkey.bundle.BundleSigner;
import dev.fleetkey.bundle.update.UpdatePackager;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The golden update package in {@code firmware-bundles/test-vectors/update/}: the committed fleet vector
 * ({@code fleet.der}) and a fixed image, signed by the TEST ONLY vector signer at fixed times. Written by
 * {@link GoldenVectorGenerator} with the bundle vectors (byte-identical unless the format changed).
 */
public final class UpdateVectors {

    public static final String HARDWARE = "rev-b";
    public static final String VERSION = "1.0.0";
    public static final String FILE = "demo-sensor-rev-b-1.0.0.fkpkg";
    public static final byte[] IMAGE = "Fleetkey TEST ONLY firmware image 1.0.0 for rev-b\n".getBytes(StandardCharsets.US_ASCII);

    private UpdateVectors() {
    }

    public static Path directory() {
        return GoldenVectors.directory().resolve("update");
    }

    /** The package, built now from the committed fleet vector. */
    public static byte[] build() throws IOException {
        return build(GoldenVectors.directory());
    }

    /** The package, built from the fleet vector in {@code vectors}. */
    static byte[] build(Path vectors) throws IOException {
        byte[] fleet = Files.readAllBytes(vectors.resolve("fleet.der"));
        return new UpdatePackager(new BundleSigner(VectorPayloads.SIGNER_KEY.getPrivate(), VectorPayloads.SIGNER, false))
                .pack(new UpdatePackager.Release(VectorPayloads.TEMPLATE, HARDWARE, VERSION,
                        VectorPayloads.FLEET_SEQUENCE, VectorPayloads.ISSUED_AT, VectorPayloads.NOT_AFTER),
                        IMAGE, fleet, Map.of()).bytes();
    }

    /** Writes the package and its image into {@code vectors/update/}. */
    static void write(Path vectors) throws IOException {
        Path dir = Files.createDirectories(vectors.resolve("update"));
        Files.write(dir.resolve(FILE), build(vectors));
        Files.write(dir.resolve("image.bin"), IMAGE);
    }
}
