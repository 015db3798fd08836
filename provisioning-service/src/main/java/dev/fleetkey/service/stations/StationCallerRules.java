package dev.fleetkey.service.stations;

import dev.fleetkey.service.callers.Caller;
import dev.fleetkey.service.devices.CallerRules;
import dev.fleetkey.service.devices.Device;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The station rules: a station provisions only from its allowed templates, sees and acts on only the devices it
 * made, and gets bundles sealed to its transport key when it has one. Users pass.
 */
@Component
class StationCallerRules implements CallerRules {

    private final StationRepository stations;

    StationCallerRules(StationRepository stations) {
        this.stations = stations;
    }

    @Override
    public void checkTemplate(Caller caller, String templateId) {
        if (caller instanceof Caller.Station s) {
            Station station = station(s);
            if (!station.allows(templateId)) {
                throw new TemplateNotAllowedException(station, templateId);
            }
        }
    }

    @Override
    public boolean mayAccess(Caller caller, Device device) {
        return !(caller instanceof Caller.Station s)
                || stations.provisioningStation(device.id()).map(id -> id == s.stationId()).orElse(false);
    }

    @Override
    public void recordProvisioned(Caller caller, Device device) {
        if (caller instanceof Caller.Station s) {
            stations.recordProvisioned(device.id(), s.stationId());
        }
    }

    @Override
    public Optional<byte[]> sealingKey(Caller caller) {
        return caller instanceof Caller.Station s ? station(s).transportKeySpki() : Optional.empty();
    }

    /** The station as stored now (its settings may have changed since its token was checked). */
    private Station station(Caller.Station caller) {
        return stations.find(caller.stationId()).orElseThrow(() -> new IllegalStateException(
                "Station " + caller.stationId() + " was deleted while its request ran"));
    }
}
