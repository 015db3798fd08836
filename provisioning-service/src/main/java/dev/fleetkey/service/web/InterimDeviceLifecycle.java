package dev.fleetkey.service.web;

import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.service.system.ApiException;
import dev.fleetkey.service.system.AuditTrail;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Revocation straight in the database, in one transaction with its audit entry: the device row is locked,
 * marked REVOKED and every active credential gets its revocation time, which the device endpoint's
 * directory already honours. Rotation needs the credentials service and is reported as unavailable.
 */
@Component
class InterimDeviceLifecycle implements DeviceLifecycle {

    private final JdbcClient jdbc;
    private final AuditTrail audit;

    InterimDeviceLifecycle(JdbcClient jdbc, AuditTrail audit) {
        this.jdbc = jdbc;
        this.audit = audit;
    }

    private record Locked(long id, String state) {
    }

    @Override
    @Transactional
    public void revoke(Eui64 eui64, String reason) {
        Locked device = jdbc.sql("SELECT id, state FROM devices WHERE eui64 = :eui FOR UPDATE")
                .param("eui", eui64.canonical())
                .query((rs, n) -> new Locked(rs.getLong(1), rs.getString(2)))
                .optional()
                .orElseThrow(() -> ApiException.notFound("No device " + eui64.canonical() + " is provisioned"));
        if ("REVOKED".equals(device.state())) {
            throw ApiException.conflict("already-revoked", "Device " + eui64.canonical() + " is revoked already");
        }
        OffsetDateTime now = Instant.now().truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
        jdbc.sql("UPDATE devices SET state = 'REVOKED', updated_at = :now WHERE id = :id")
                .param("now", now).param("id", device.id()).update();
        int credentials = jdbc.sql("UPDATE device_credentials SET revoked_at = :now WHERE device_id = :id AND revoked_at IS NULL")
                .param("now", now).param("id", device.id()).update();
        audit.record("device.revoked", "device:" + eui64.canonical() + " credentials:" + credentials + " reason:" + reason);
    }

    @Override
    public void rotate(Eui64 eui64) {
        throw ApiException.unprocessable("rotation-unavailable", "This build cannot rotate credentials yet: revoke device "
                + eui64.canonical() + " and provision it again to give it new credentials");
    }

    @Override
    public boolean rotationAvailable() {
        return false;
    }
}
