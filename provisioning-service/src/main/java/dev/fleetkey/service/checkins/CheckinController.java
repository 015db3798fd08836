package dev.fleetkey.service.checkins;

import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.service.system.InvalidFieldException;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** Admin API: the check-ins the device endpoint recorded (administrators only). */
@RestController
class CheckinController {

    private static final int LIMIT = 50;

    private final Checkins checkins;

    CheckinController(Checkins checkins) {
        this.checkins = checkins;
    }

    /** The fleet's newest check-ins, newest first. */
    @GetMapping(path = "/api/v1/checkins", produces = MediaType.APPLICATION_JSON_VALUE)
    List<CheckinView> latest() {
        return checkins.latest(LIMIT).stream().map(CheckinView::of).toList();
    }

    /** One device's newest check-ins, newest first. */
    @GetMapping(path = "/api/v1/devices/{eui64}/checkins", produces = MediaType.APPLICATION_JSON_VALUE)
    List<CheckinView> ofDevice(@PathVariable("eui64") String eui64) {
        Eui64 device;
        try {
            device = Eui64.parse(eui64);
        } catch (IllegalArgumentException e) {
            throw new InvalidFieldException("eui64", "'" + eui64 + "' is not an EUI-64: write 16 hex digits, "
                    + "e.g. 00-11-22-FF-FE-33-44-55");
        }
        return checkins.latestOf(device, LIMIT).stream().map(CheckinView::of).toList();
    }

    /** The JSON form: times in ISO-8601 UTC, EUI-64 canonical. */
    record CheckinView(String eui64, String checkedInAt, String mode, String cipherSuite, String remoteAddress,
                       String firmwareVersion, Long deviceSequence, Long fleetSequence) {
        static CheckinView of(Checkin c) {
            return new CheckinView(c.device().canonical(), c.checkedInAt().toString(), c.mode(), c.cipherSuite(),
                    c.remoteAddress(), c.firmwareVersion(), c.deviceSequence(), c.fleetSequence());
        }
    }
}
