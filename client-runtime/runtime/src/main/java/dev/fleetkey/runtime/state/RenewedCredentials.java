package dev.fleetkey.runtime.state;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * The renewed credentials of a state directory, per server, in {@code DIR/credentials/SERVER/}:
 * <pre>
 * active    the renewed credential in use (it has completed a handshake)
 * pending   a renewed credential received and checked, not yet confirmed by a handshake
 * </pre>
 * Each file is a properties text written whole (temporary file, forced, renamed, directory forced), readable by
 * the owner only: {@code format=1}, {@code device-bundle=} the id of the device bundle renewed from,
 * {@code key=software} with {@code private-key=} base64 PKCS#8, or {@code key=token} with {@code key-label=},
 * and {@code chain=} base64 DER certificates, leaf first, separated by commas. Confirming renames
 * {@code pending} over {@code active}: the one commit point.
 */
final class RenewedCredentials {

    static final String DIRECTORY = "credentials", ACTIVE = "active", PENDING = "pending";

    private final Path root;

    RenewedCredentials(Path stateDirectory) {
        this.root = stateDirectory.resolve(DIRECTORY);
    }

    Optional<RenewedCredential> read(String server, String which) throws IOException {
        Path file = directory(server).resolve(which);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        Properties p = new Properties();
        p.load(new StringReader(text));
        try {
            if (!"1".equals(p.getProperty("format"))) {
                throw new IOException(file + " has format " + p.getProperty("format") + "; this runtime reads 1");
            }
            List<X509Certificate> chain = new ArrayList<>();
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (String der : p.getProperty("chain", "").split(",")) {
                chain.add((X509Certificate) factory.generateCertificate(
                        new ByteArrayInputStream(Base64.getDecoder().decode(der.strip()))));
            }
            String bundle = required(p, "device-bundle", file);
            return Optional.of("token".equals(p.getProperty("key"))
                    ? RenewedCredential.token(bundle, required(p, "key-label", file), chain)
                    : RenewedCredential.software(bundle, Base64.getDecoder().decode(required(p, "private-key", file)),
                            chain));
        } catch (CertificateException | IllegalArgumentException e) {
            throw new IOException(file + " is damaged (" + e.getMessage() + "): remove it to use the bundle's credential");
        }
    }

    /** Writes {@code credential} as {@code which}, replacing it atomically. */
    void write(String server, String which, RenewedCredential credential) throws IOException {
        Path dir = Files.createDirectories(directory(server));
        StringBuilder text = new StringBuilder("# Fleetkey renewed device credential (fleetkey-device renew). Do not edit.\n")
                .append("format=1\ndevice-bundle=").append(credential.deviceBundleId()).append('\n');
        if (credential.inToken()) {
            text.append("key=token\nkey-label=").append(credential.tokenKeyLabel()).append('\n');
        } else {
            byte[] key = credential.softwareKey();
            text.append("key=software\nprivate-key=").append(Base64.getEncoder().encodeToString(key)).append('\n');
            java.util.Arrays.fill(key, (byte) 0);
        }
        List<String> chain = new ArrayList<>();
        for (X509Certificate certificate : credential.chain()) {
            try {
                chain.add(Base64.getEncoder().encodeToString(certificate.getEncoded()));
            } catch (java.security.cert.CertificateEncodingException e) {
                throw new IOException("a certificate of the chain cannot be encoded", e);
            }
        }
        text.append("chain=").append(String.join(",", chain)).append('\n');
        Path temp = dir.resolve(which + ".tmp");
        Files.deleteIfExists(temp);
        AtomicFiles.writeSecret(temp, text.toString().getBytes(StandardCharsets.UTF_8));
        Files.move(temp, dir.resolve(which), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        AtomicFiles.forceDirectory(dir);
    }

    /** Makes the pending credential the active one (rename, directory forced). */
    void promote(String server) throws IOException {
        Path dir = directory(server);
        Files.move(dir.resolve(PENDING), dir.resolve(ACTIVE), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
        AtomicFiles.forceDirectory(dir);
    }

    void delete(String server, String which) throws IOException {
        Path dir = directory(server);
        if (Files.deleteIfExists(dir.resolve(which))) {
            AtomicFiles.forceDirectory(dir);
        }
    }

    /** Removes temporaries a crash left behind. */
    void clearTemporaries() throws IOException {
        if (!Files.isDirectory(root)) {
            return;
        }
        try (var servers = Files.newDirectoryStream(root)) {
            for (Path dir : servers) {
                Files.deleteIfExists(dir.resolve(ACTIVE + ".tmp"));
                Files.deleteIfExists(dir.resolve(PENDING + ".tmp"));
            }
        }
    }

    private Path directory(String server) {
        boolean plain = server.matches("[A-Za-z0-9._-]{1,64}") && !server.startsWith(".");
        return root.resolve(plain ? server : HexFormat.of().formatHex(server.getBytes(StandardCharsets.UTF_8)));
    }

    private static String required(Properties p, String key, Path file) throws IOException {
        String value = p.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new IOException(file + " lacks " + key + ": remove it to use the bundle's credential");
        }
        return value.strip();
    }
}
