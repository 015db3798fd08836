package dev.fleetkey.service.checkins;

import dev.fleetkey.bundle.Eui64;
import java.time.Instant;

/**
 * One recorded check-in, as the admin UI shows it.
 *
 * @param deviceSequence the device bundle sequence the device reported, or null
 * @param fleetSequence  the fleet bundle sequence the device reported, or null
 */
public record Checkin(Eui64 device, Instant checkedInAt, String mode, String cipherSuite, String remoteAddress,
                      String firmwareVersion, Long deviceSequence, Long fleetSequence) {
}
