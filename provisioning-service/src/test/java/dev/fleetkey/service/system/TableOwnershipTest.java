package dev.fleetkey.service.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Each table has one owning feature; every other feature asks the owner's repository instead of running SQL on it. */
class TableOwnershipTest {

    private static final Path MAIN = Path.of("src/main/java/dev/fleetkey/service");
    private static final Path MIGRATIONS = Path.of("src/main/resources/db/migration");

    private static final Map<String, String> OWNER = Map.ofEntries(
            Map.entry("devices", "devices"),
            Map.entry("device_credentials", "devices"),
            Map.entry("device_public_keys", "devices"),
            Map.entry("bundles_issued", "bundles"),
            Map.entry("bundle_sequences", "bundles"),
            Map.entry("firmware_packages", "firmware"),
            Map.entry("fleet_sequences", "firmware"),
            Map.entry("fleet_trust", "firmware"),
            Map.entry("release_tokens", "firmware"),
            Map.entry("stations", "stations"),
            Map.entry("station_devices", "stations"),
            Map.entry("batches", "stations"),
            Map.entry("batch_items", "stations"),
            Map.entry("station_quota_buckets", "stations"),
            Map.entry("audit_events", "audit"),
            Map.entry("audit_chain_head", "audit"),
            Map.entry("audit_checkpoints", "audit"),
            Map.entry("users", "users"),
            Map.entry("user_tokens", "logins"),
            Map.entry("login_failures", "logins"),
            Map.entry("device_checkins", "checkins"),
            Map.entry("endpoint_fleet_bundles", "checkins"),
            Map.entry("idempotency_keys", "api"),
            Map.entry("psk_identities", "credentials"),
            Map.entry("certificate_serials", "pki"),
            Map.entry("revocation_lists", "pki"),
            Map.entry("key_setup", "pki"),
            Map.entry("endpoint_change_counter", "endpoint"),
            Map.entry("endpoint_credential_changes", "endpoint"),
            Map.entry("template_versions", "templates"),
            Map.entry("templates_seen", "templates"));

    private static final Pattern TABLE_IN_SQL = Pattern.compile("\\b(?:FROM|JOIN|INTO|UPDATE|TABLE)\\s+([a-z_]+)\\b");
    private static final Pattern CREATE_TABLE = Pattern.compile("(?i)create table (?:if not exists )?([a-z_]+)");

    @Test
    void everyTableInTheMigrationsHasAnOwner() throws IOException {
        var tables = new TreeSet<String>();
        try (Stream<Path> files = Files.list(MIGRATIONS)) {
            for (Path file : files.toList()) {
                Matcher m = CREATE_TABLE.matcher(Files.readString(file));
                while (m.find()) {
                    tables.add(m.group(1).toLowerCase());
                }
            }
        }
        assertThat(tables).isNotEmpty();
        assertThat(OWNER.keySet()).as("tables with an owner in this test").containsAll(tables);
    }

    @Test
    void noFeatureRunsSqlOnAnotherFeaturesTables() throws IOException {
        List<String> offences = new ArrayList<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String feature = MAIN.relativize(file).getName(0).toString();
                Matcher m = TABLE_IN_SQL.matcher(Files.readString(file));
                var foreign = new TreeSet<String>();
                while (m.find()) {
                    String owner = OWNER.get(m.group(1));
                    if (owner != null && !owner.equals(feature)) {
                        foreign.add(m.group(1) + " (owned by " + owner + ")");
                    }
                }
                foreign.forEach(t -> offences.add(MAIN.relativize(file) + " names " + t));
            }
        }
        assertThat(offences).as("SQL on another feature's tables: ask the owner's repository instead").isEmpty();
    }
}
