package dev.fleetkey.service.devices;

import java.util.Map;
import java.util.Optional;

/**
 * The stations' names, for device search and export: a filter names a station, a row shows who provisioned the
 * device. The {@code stations} feature implements it.
 */
public interface StationNames {

    /** The id of the station called {@code name}, if there is one. */
    Optional<Long> idOf(String name);

    /** Every station's name by id (a few hundred at most). */
    Map<Long, String> all();
}
