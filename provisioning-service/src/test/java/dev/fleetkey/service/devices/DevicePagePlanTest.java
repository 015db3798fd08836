package dev.fleetkey.service.devices;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * How H2 runs a page of the device search: for each filter that fixes an indexed column, it reads the index in
 * the page's order and stops after the page ("index sorted"), instead of sorting every match (seconds on a million
 * devices, PERFORMANCE.md). Checked on H2's own plan, not on a stopwatch.
 */
class DevicePagePlanTest {

    private static JdbcClient jdbc;

    @BeforeAll
    static void devices() {
        // one connection throughout: after the migrating connection closed, H2 2.4 failed the devices table's check
        // constraint on INSERT ... SELECT in an in-memory database ("The database has been closed")
        var dataSource = new SingleConnectionDataSource("jdbc:h2:mem:plans-" + UUID.randomUUID(), "fleetkey", "", true);
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        jdbc = JdbcClient.create(dataSource);
        jdbc.sql("INSERT INTO devices (eui64, template_id, template_version, state, created_at, updated_at, station_id)"
                + " SELECT 'EE-00-00-00-00-00-' || SUBSTRING(h, 1, 2) || '-' || SUBSTRING(h, 3, 2),"
                + " CASE MOD(X, 4) WHEN 0 THEN 'demo-sensor' WHEN 1 THEN 'demo-x509' WHEN 2 THEN 'demo-rpk'"
                + " ELSE 'line-meter' END, 1 + MOD(X, 2),"
                + " CASE MOD(X, 6) WHEN 3 THEN 'PROVISIONED' WHEN 4 THEN 'FAILED' WHEN 5 THEN 'REVOKED' ELSE 'VERIFIED' END,"
                + " DATEADD(SECOND, X * 30, TIMESTAMP WITH TIME ZONE '2026-01-01 00:00:00+00'),"
                + " DATEADD(SECOND, X * 30, TIMESTAMP WITH TIME ZONE '2026-01-01 00:00:00+00'), MOD(X, 20)"
                + " FROM (SELECT X, UPPER(RAWTOHEX(CAST(CAST(X AS SMALLINT) AS BINARY(2)))) AS h"
                + " FROM SYSTEM_RANGE(1, 6000)) n").update();
        // a certificate for every demo-x509 device, ending a year after the device was made
        jdbc.sql("INSERT INTO device_credentials (device_id, server_name, mode, created_at, public_key,"
                + " public_key_sha256, key_origin, certificate, certificate_serial, certificate_not_after)"
                + " SELECT id, 'fleetkey', 'X509', created_at, X'01', X'02', 'SERVICE', X'03', CAST(id AS VARCHAR),"
                + " DATEADD(DAY, 365, created_at) FROM devices WHERE template_id = 'demo-x509'").update();
        // and a raw public key for every demo-rpk device: credentials without a certificate end
        jdbc.sql("INSERT INTO device_credentials (device_id, server_name, mode, created_at, public_key,"
                + " public_key_sha256, key_origin) SELECT id, 'fleetkey', 'RAW_PUBLIC_KEY', created_at, X'01', X'02',"
                + " 'SERVICE' FROM devices WHERE template_id = 'demo-rpk'").update();
        jdbc.sql("ANALYZE").update();
    }

    @ParameterizedTest(name = "{0}={1}, newest first {2}: {3}")
    @CsvSource({
            "revoked,  true,         true,  IX_DEVICES_STATE_CREATED",
            "revoked,  true,         false, IX_DEVICES_STATE_CREATED",
            "state,    VERIFIED,     true,  IX_DEVICES_STATE_CREATED",
            "template, demo-x509@2,  true,  IX_DEVICES_TEMPLATE_CREATED",
            "template, demo-x509@2,  false, IX_DEVICES_TEMPLATE_CREATED",
            "template, demo-x509,    true,  IX_DEVICES_TEMPLATE_ID_CREATED",
            "eui64,    '',           true,  IX_DEVICES_CREATED"})
    void aPageFilteredOnAnIndexedColumnReadsThatIndexInOrder(String parameter, String value, boolean newestFirst,
            String index) {
        DeviceQuery query = value.isEmpty() ? DeviceQuery.all() : DeviceQuery.of(Map.of(parameter, value));

        String plan = plan(DevicePageStatement.of(query, null, null, 100, newestFirst, false));

        assertThat(plan).contains("PUBLIC." + index).contains("/* index sorted */");
    }

    @ParameterizedTest(name = "newest first {0}")
    @CsvSource({"true", "false"})
    void aStationsPageReadsItsIndexInOrder(boolean newestFirst) {
        String plan = plan(DevicePageStatement.of(DeviceQuery.all(), 7L, null, 100, newestFirst, false));

        assertThat(plan).contains("PUBLIC.IX_DEVICES_STATION_CREATED").contains("/* index sorted */");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"state=VERIFIED&template=demo-x509", "revoked=true&template=demo-x509@2", "state=FAILED&station"})
    void withSeveralFixedColumnsOneIndexIsStillReadInOrder(String filter) {
        Map<String, String> parameters = new java.util.HashMap<>();
        for (String pair : filter.split("&")) {
            String[] parts = pair.split("=");
            if (parts.length == 2) {
                parameters.put(parts[0], parts[1]);
            }
        }
        Long station = filter.contains("station") ? 7L : null;

        String plan = plan(DevicePageStatement.of(DeviceQuery.of(parameters), station, null, 100, true, false));

        assertThat(plan).contains("/* index sorted */");
    }

    @ParameterizedTest(name = "newest first {0}")
    @CsvSource({"true", "false"})
    void fewExpiringCertificatesAreFoundFromTheCertificatesNotByWalkingEveryDevice(boolean newestFirst) {
        // devices of the first day: 720 of 6,000 devices made over two days have a certificate ending before it
        DeviceQuery query = DeviceQuery.of(Map.of("certExpiringBefore", "2027-01-02"));
        DeviceQueries queries = new DeviceQueries(jdbc);

        String plan = plan(queries.pageStatement(query, null, null, 100, newestFirst));

        assertThat(plan).contains("PUBLIC.IX_DEVICE_CREDENTIALS_NOT_AFTER").doesNotContain("IX_DEVICES_CREATED");
        assertThat(ids(queries.pageStatement(query, null, null, 100, newestFirst)))
                .hasSize(101)
                .isEqualTo(ids(DevicePageStatement.of(query, null, null, 100, newestFirst, false)));
        assertThat(queries.page(query, null, null, 100, newestFirst).rows()).extracting(DeviceQueries.DeviceRow::id)
                .isEqualTo(ids(DevicePageStatement.of(query, null, null, 100, newestFirst, false)).subList(0, 100));
    }

    @org.junit.jupiter.api.Test
    void theCertificatesAreReadWithoutTheCredentialsThatHaveNone() {
        DeviceQuery query = DeviceQuery.of(Map.of("certExpiringBefore", "2027-01-02"));
        DevicePageStatement statement = new DeviceQueries(jdbc).pageStatement(query, null, null, 100, true);
        JdbcClient.StatementSpec explain = jdbc.sql("EXPLAIN ANALYZE " + statement.sql());
        statement.params().forEach(explain::param);
        String plan = String.join("\n", explain.query(String.class).list());

        // 720 certificates end before the date; the 1,500 credentials without one are not read
        java.util.regex.Matcher read = java.util.regex.Pattern
                .compile("IX_DEVICE_CREDENTIALS_NOT_AFTER: [^*]*\\*/\\s*/\\* scanCount: (\\d+)").matcher(plan);
        assertThat(read.find()).as(plan).isTrue();
        assertThat(Integer.parseInt(read.group(1))).isLessThanOrEqualTo(721);
    }

    @org.junit.jupiter.api.Test
    void withManyExpiringCertificatesThePageWalksTheDevicesInOrder() {
        DeviceQuery query = DeviceQuery.of(Map.of("certExpiringBefore", "2030-01-01"));
        DeviceQueries queries = new DeviceQueries(jdbc);
        int few = DeviceQueries.FEW_EXPIRING;
        assertThat(jdbc.sql("SELECT COUNT(*) FROM device_credentials").query(Long.class).single()).isLessThan(few);

        // 1,500 expiring certificates are few; above FEW_EXPIRING the page walks the creation-time index
        assertThat(plan(queries.pageStatement(query, null, null, 100, true))).contains("IX_DEVICE_CREDENTIALS_NOT_AFTER");
        assertThat(plan(DevicePageStatement.of(query, null, null, 100, true, false)))
                .contains("PUBLIC.IX_DEVICES_CREATED").contains("/* index sorted */");
    }

    private static java.util.List<Long> ids(DevicePageStatement statement) {
        JdbcClient.StatementSpec select = jdbc.sql(statement.sql());
        statement.params().forEach(select::param);
        return select.query((rs, n) -> rs.getLong("id")).list();
    }

    private static String plan(DevicePageStatement statement) {
        JdbcClient.StatementSpec explain = jdbc.sql("EXPLAIN " + statement.sql());
        statement.params().forEach(explain::param);
        return String.join("\n", explain.query(String.class).list());
    }
}
