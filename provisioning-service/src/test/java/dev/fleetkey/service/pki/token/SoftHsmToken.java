package dev.fleetkey.service.pki.token;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * A SoftHSM2 token of one test's own: a temporary token directory and {@code SOFTHSM2_CONF} file under
 * {@code target/test-data/}, never the system's default token directory, initialised with
 * {@code softhsm2-util --init-token --free}. The service reaches it in a process of its own started with
 * {@link #environment()} (SoftHSM reads {@code SOFTHSM2_CONF} once per process).
 *
 * <p>Where SoftHSM2 is not installed the test is skipped by an assumption, unless {@code FLEETKEY_REQUIRE_SOFTHSM=1}
 * (set by {@code .ci/run}), which makes a missing SoftHSM2 a failure.
 */
public final class SoftHsmToken {

    public static final Path MODULE = Path.of("/usr/lib/softhsm/libsofthsm2.so");
    public static final String PIN = "test-user-pin-4711";
    static final String SO_PIN = "test-so-pin-0815";
    private static final Pattern SLOT = Pattern.compile("reassigned to slot (\\d+)");

    private final Path config;
    private final String label;
    private final long slot;

    private SoftHsmToken(Path config, String label, long slot) {
        this.config = config;
        this.label = label;
        this.slot = slot;
    }

    /** A new, initialised token with user PIN {@link #PIN}. */
    public static SoftHsmToken create(String label) {
        requireSoftHsm();
        try {
            Path root = Files.createDirectories(Path.of("target", "test-data").toAbsolutePath());
            Path dir = Files.createTempDirectory(root, "softhsm-");
            Path tokens = Files.createDirectories(dir.resolve("tokens"));
            Path config = dir.resolve("softhsm2.conf");
            Files.writeString(config, "directories.tokendir = " + tokens + "\nobjectstore.backend = file\n"
                    + "log.level = ERROR\nslots.removable = false\n");
            String out = run(config, "softhsm2-util", "--init-token", "--free", "--label", label, "--pin", PIN,
                    "--so-pin", SO_PIN);
            Matcher m = SLOT.matcher(out);
            assertThat(m.find()).as("softhsm2-util names the new token's slot: " + out).isTrue();
            return new SoftHsmToken(config, label, Long.parseLong(m.group(1)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Skips the test where SoftHSM2 is missing, or fails it when {@code FLEETKEY_REQUIRE_SOFTHSM=1}. */
    public static void requireSoftHsm() {
        boolean present = Files.isReadable(MODULE) && Files.isExecutable(Path.of("/usr/bin/softhsm2-util"));
        if ("1".equals(System.getenv("FLEETKEY_REQUIRE_SOFTHSM"))) {
            assertThat(present).as("FLEETKEY_REQUIRE_SOFTHSM=1 but SoftHSM2 is not installed "
                    + "(apt-get install softhsm2 opensc)").isTrue();
        }
        Assumptions.assumeTrue(present, "SoftHSM2 is not installed (apt-get install softhsm2 opensc)");
    }

    /** The token's slot ID, as {@code fleetkey.keys.pkcs11.slot} takes it. */
    public long slot() {
        return slot;
    }

    public String label() {
        return label;
    }

    /** The environment a process needs to see this token: {@code SOFTHSM2_CONF}. */
    public Map<String, String> environment() {
        return Map.of("SOFTHSM2_CONF", config.toString());
    }

    /** The service's arguments for this token, the PIN in {@code FLEETKEY_PKCS11_PIN}. */
    public List<String> serviceArguments() {
        return List.of("--fleetkey.keys.provider=pkcs11", "--fleetkey.keys.pkcs11.library=" + MODULE,
                "--fleetkey.keys.pkcs11.slot=" + slot);
    }

    /**
     * The token's objects as OpenSC's {@code pkcs11-tool -O} lists them after logging in: one line per object
     * header ({@code Private Key Object; EC}, {@code Certificate Object; ...}) followed by its attributes.
     */
    public String listObjects() {
        return run(config, "pkcs11-tool", "--module", MODULE.toString(), "--slot", Long.toString(slot), "--login",
                "--pin", PIN, "-O");
    }

    /**
     * One object as {@code pkcs11-tool -O} lists it.
     *
     * @param type   the header, e.g. {@code Private Key Object; EC} or {@code Secret Key Object; AES length 32}
     * @param label  {@code CKA_LABEL}
     * @param id     {@code CKA_ID} as text (SunPKCS11's key store sets it to the alias for private keys)
     * @param access e.g. {@code sensitive, always sensitive, never extractable, local}
     */
    public record TokenObject(String type, String label, String id, String access) {

        public boolean privateKey() {
            return type.startsWith("Private Key Object");
        }

        public boolean secretKey() {
            return type.startsWith("Secret Key Object");
        }

        /** The alias the service stored it under: the label, or for a private key its ID. */
        public String alias() {
            return label.isEmpty() ? id : label;
        }
    }

    /** Every object in the token. */
    public List<TokenObject> objects() {
        List<TokenObject> objects = new ArrayList<>();
        String type = null;
        Map<String, String> fields = new java.util.HashMap<>();
        for (String line : (listObjects() + "\nEnd Object").split("\n")) {
            if (line.isBlank() || line.startsWith("Using slot") || line.startsWith("warning")) {
                continue;
            }
            if (!Character.isWhitespace(line.charAt(0))) {
                if (type != null) {
                    objects.add(new TokenObject(type, fields.getOrDefault("label", ""), text(fields.getOrDefault("ID", "")),
                            fields.getOrDefault("Access", "")));
                }
                type = line.strip();
                fields.clear();
            } else if (line.contains(":")) {
                int colon = line.indexOf(':');
                fields.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
            }
        }
        return objects;
    }

    private static String text(String hex) {
        return hex.isEmpty() ? "" : new String(java.util.HexFormat.of().parseHex(hex), StandardCharsets.UTF_8);
    }

    private static String run(Path config, String... command) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().put("SOFTHSM2_CONF", config.toString());
            Process process = builder.start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as(String.join(" ", command) + ":\n" + out).isZero();
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
