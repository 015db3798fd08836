package dev.fleetkey.service.checkins;

import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.service.devices.DeviceRepository;
import java.util.List;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Recorded check-ins, for the admin UI and API. */
@Service
public class Checkins {

    private final CheckinRepository repository;
    private final DeviceRepository devices;

    Checkins(CheckinRepository repository, DeviceRepository devices) {
        this.repository = repository;
        this.devices = devices;
    }

    /** The newest check-ins of the whole fleet, newest first. */
    @Transactional(readOnly = true)
    public List<Checkin> latest(int limit) {
        return repository.latest(limit);
    }

    /** The newest check-ins of one device, newest first; empty for an unknown device. */
    @Transactional(readOnly = true)
    public List<Checkin> latestOf(Eui64 device, int limit) {
        return devices.findByEui64(device).map(d -> repository.latestOf(d.id(), limit)).orElse(List.of());
    }
}
