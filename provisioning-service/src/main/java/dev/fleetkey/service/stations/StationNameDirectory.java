package dev.fleetkey.service.stations;

import dev.fleetkey.service.devices.StationNames;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** The stations' names for the devices feature's search and export. */
@Component
class StationNameDirectory implements StationNames {

    private final StationRepository stations;

    StationNameDirectory(StationRepository stations) {
        this.stations = stations;
    }

    @Override
    public Optional<Long> idOf(String name) {
        return stations.findByName(name).map(Station::id);
    }

    @Override
    public Map<Long, String> all() {
        Map<Long, String> names = new LinkedHashMap<>();
        stations.all().forEach(s -> names.put(s.id(), s.name()));
        return names;
    }
}
