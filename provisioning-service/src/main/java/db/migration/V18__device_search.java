package db.migration;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.ZoneOffset;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Schema version 18: what device search and export filter on, indexed. A Java migration because the certificates'
 * end dates, a new column, are read from the stored DER certificates. Same dialect rules as the SQL migrations.
 * <ul>
 *   <li>{@code devices.station_id}: the station that provisioned the device (null for a user), copied from the
 *       stations feature's {@code station_devices} so a station filter is an indexed column of the devices table.
 *   <li>{@code device_credentials.certificate_not_after}: the certificate's notAfter, for "expiring before".
 *   <li>Indexes for keyset paging on (created_at, id), alone and after the state, template and station filters.
 * </ul>
 */
public class V18__device_search extends BaseJavaMigration {

    private static final String[] STATEMENTS = {
        "ALTER TABLE devices ADD COLUMN station_id BIGINT",
        "UPDATE devices SET station_id = (SELECT s.station_id FROM station_devices s WHERE s.device_id = devices.id)",
        "ALTER TABLE device_credentials ADD COLUMN certificate_not_after TIMESTAMP WITH TIME ZONE",
        "CREATE INDEX ix_devices_created ON devices (created_at, id)",
        "CREATE INDEX ix_devices_state_created ON devices (state, created_at, id)",
        "CREATE INDEX ix_devices_template_created ON devices (template_id, template_version, created_at, id)",
        "CREATE INDEX ix_devices_station_created ON devices (station_id, created_at, id)",
        "CREATE INDEX ix_device_credentials_device_mode ON device_credentials (device_id, mode)",
        "CREATE INDEX ix_device_credentials_not_after ON device_credentials (certificate_not_after)",
    };

    @Override
    public void migrate(Context context) throws SQLException {
        Connection connection = context.getConnection();
        try (Statement statement = connection.createStatement()) {
            for (String sql : STATEMENTS) {
                statement.execute(sql);
            }
        }
        try (Statement select = connection.createStatement();
                ResultSet rows = select.executeQuery("SELECT id, certificate FROM device_credentials"
                        + " WHERE certificate IS NOT NULL");
                PreparedStatement update = connection.prepareStatement(
                        "UPDATE device_credentials SET certificate_not_after = ? WHERE id = ?")) {
            int unreadable = 0;
            while (rows.next()) {
                java.util.Date notAfter = notAfter(rows.getBytes(2));
                if (notAfter == null) {
                    unreadable++;
                    continue;
                }
                update.setObject(1, notAfter.toInstant().atOffset(ZoneOffset.UTC));
                update.setLong(2, rows.getLong(1));
                update.executeUpdate();
            }
            if (unreadable > 0) {
                // an upgrade should not stop over them: such credentials only miss the certExpiringBefore filter
                org.slf4j.LoggerFactory.getLogger(V18__device_search.class).warn("{} stored device certificates could"
                        + " not be read; their end dates stay empty, so certExpiringBefore does not list them", unreadable);
            }
        }
    }

    /** The certificate's end date, or null when the stored bytes are not a certificate. */
    private static java.util.Date notAfter(byte[] der) {
        try {
            return ((X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der))).getNotAfter();
        } catch (CertificateException e) {
            return null;
        }
    }
}
