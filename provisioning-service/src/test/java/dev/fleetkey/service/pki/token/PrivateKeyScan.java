package dev.fleetkey.service.pki.token;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Looks for private keys where none may be: every file of a directory and every value of every table of an H2
 * database. A token's keys cannot be compared with (their scalars never leave it), so it looks for the encodings
 * a private key would have outside a token: the PKCS#8 header of an EC key (DER, and its base64 as PEM bodies
 * start), SEC1 {@code ECPrivateKey} headers, any {@code PRIVATE KEY} PEM marker, and PKCS#12 files.
 */
final class PrivateKeyScan {

    private static final List<byte[]> MARKERS = List.of(
            // PKCS#8 PrivateKeyInfo: version 0, AlgorithmIdentifier id-ecPublicKey
            HexFormat.of().parseHex("020100301306072a8648ce3d0201"),
            // SEC1 ECPrivateKey of a 256-bit key, with and without the optional fields
            HexFormat.of().parseHex("307702010104 20".replace(" ", "")),
            HexFormat.of().parseHex("303102010104 20".replace(" ", "")),
            "PRIVATE KEY".getBytes(StandardCharsets.US_ASCII),
            // base64 of the PKCS#8 header of an EC key, after a 3-byte (long form) or 2-byte SEQUENCE header
            "AgEAMBMGByqGSM49AgE".getBytes(StandardCharsets.US_ASCII),
            "CAQAwEwYHKoZIzj0CAQ".getBytes(StandardCharsets.US_ASCII),
            // PKCS#12 PFX: version 3 followed by the authSafe ContentInfo
            HexFormat.of().parseHex("0201033082"));

    private PrivateKeyScan() {
    }

    /** Findings in the files under {@code dir}: {@code path: what}. */
    static List<String> files(Path dir) {
        List<String> findings = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String name = file.getFileName().toString().toLowerCase();
                if (name.endsWith(".p12") || name.endsWith(".pfx")) {
                    findings.add(file + ": a PKCS#12 file");
                }
                scan(Files.readAllBytes(file), file.toString(), findings);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return findings;
    }

    /** Findings in every column of every table of the stopped service's H2 database in {@code dataDir}. */
    static List<String> database(Path dataDir) throws SQLException {
        List<String> findings = new ArrayList<>();
        try (Connection db = DriverManager.getConnection("jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("fleetkey")
                + ";IFEXISTS=TRUE", "fleetkey", "");
                Statement tables = db.createStatement();
                ResultSet names = tables.executeQuery("SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES "
                        + "WHERE TABLE_SCHEMA = 'PUBLIC'")) {
            List<String> all = new ArrayList<>();
            while (names.next()) {
                all.add(names.getString(1));
            }
            for (String table : all) {
                try (Statement select = db.createStatement();
                        ResultSet rows = select.executeQuery("SELECT * FROM \"" + table + "\"")) {
                    int columns = rows.getMetaData().getColumnCount();
                    while (rows.next()) {
                        for (int c = 1; c <= columns; c++) {
                            Object value = rows.getObject(c);
                            String where = table + "." + rows.getMetaData().getColumnName(c);
                            if (value instanceof byte[] bytes) {
                                scan(bytes, where, findings);
                            } else if (value != null) {
                                scan(value.toString().getBytes(StandardCharsets.UTF_8), where, findings);
                            }
                        }
                    }
                }
            }
            if (all.isEmpty()) {
                findings.add("no tables found: the scan did not read the service's database");
            }
        }
        return findings;
    }

    static void scan(byte[] bytes, String where, List<String> findings) {
        for (byte[] marker : MARKERS) {
            if (indexOf(bytes, marker) >= 0) {
                findings.add(where + ": " + HexFormat.of().formatHex(marker));
            }
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
