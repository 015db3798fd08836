package dev.fleetkey.service.stations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.service.callers.Caller;
import dev.fleetkey.service.devices.Device;
import dev.fleetkey.service.users.Role;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StationCallerRulesTest {

    private static final byte[] TRANSPORT_KEY = {0x30, 0x59};
    private static final Station LINE_3 = new Station(3, "line-3", List.of("demo-sensor"), 60, TRANSPORT_KEY, true, true,
            Instant.EPOCH, Instant.EPOCH);
    private static final Caller STATION = new Caller.Station(3, "line-3");
    private static final Caller OPERATOR = new Caller.User("olga", Role.OPERATOR, Caller.Via.API_TOKEN);

    private final InMemoryStations stations = new InMemoryStations();
    private final StationCallerRules rules = new StationCallerRules(stations);

    @Test
    void aStationProvisionsOnlyFromItsAllowedTemplates() {
        rules.checkTemplate(STATION, "demo-sensor");

        assertThatThrownBy(() -> rules.checkTemplate(STATION, "other"))
                .isInstanceOfSatisfying(TemplateNotAllowedException.class, e -> {
                    assertThat(e.station()).isEqualTo("line-3");
                    assertThat(e.allowedTemplates()).containsExactly("demo-sensor");
                });
    }

    @Test
    void aStationActsOnlyOnTheDevicesItMade() {
        Device own = device(1);
        Device someoneElses = device(2);
        rules.recordProvisioned(STATION, own);
        stations.provisioned.put(someoneElses.id(), 9L);

        assertThat(rules.mayAccess(STATION, own)).isTrue();
        assertThat(rules.mayAccess(STATION, someoneElses)).isFalse();
        assertThat(rules.mayAccess(STATION, device(3))).isFalse();
    }

    @Test
    void aStationsBundlesAreSealedToItsTransportKey() {
        assertThat(rules.sealingKey(STATION)).hasValueSatisfying(key -> assertThat(key).isEqualTo(TRANSPORT_KEY));
    }

    @Test
    void aUserPassesEveryStationRuleAndRecordsNothing() {
        Device device = device(4);
        stations.provisioned.put(device.id(), 9L);

        rules.checkTemplate(OPERATOR, "other");
        rules.recordProvisioned(OPERATOR, device(5));

        assertThat(rules.mayAccess(OPERATOR, device)).isTrue();
        assertThat(rules.sealingKey(OPERATOR)).isEmpty();
        assertThat(stations.provisioned).doesNotContainKey(5L);
    }

    private static Device device(long id) {
        return new Device(id, Eui64.parse("00-11-22-FF-FE-00-00-0" + id), "demo-sensor", 1, Device.State.PROVISIONED,
                Instant.EPOCH);
    }

    /** The two tables the rules read, in memory. */
    private static final class InMemoryStations extends StationRepository {

        final Map<Long, Long> provisioned = new HashMap<>();

        InMemoryStations() {
            super(null, null);
        }

        @Override
        Optional<Station> find(long id) {
            return id == LINE_3.id() ? Optional.of(LINE_3) : Optional.empty();
        }

        @Override
        void recordProvisioned(long deviceId, long stationId) {
            provisioned.put(deviceId, stationId);
        }

        @Override
        Optional<Long> provisioningStation(long deviceId) {
            return Optional.ofNullable(provisioned.get(deviceId));
        }
    }
}
