package dev.fleetkey.service.stations;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.Filter;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerExceptionResolver;

/** What the security configuration needs from stations: the bearer-token filter for the API chain. */
@Component
public class StationSecurity {

    /** The role name for {@code hasRole}/{@code hasAnyRole}. */
    public static final String ROLE = "STATION";

    private final StationService stations;
    private final StationQuotas quotas;
    private final MeterRegistry metrics;

    StationSecurity(StationService stations, StationQuotas quotas, MeterRegistry metrics) {
        this.stations = stations;
        this.quotas = quotas;
        this.metrics = metrics;
    }

    /** A filter authenticating {@code Authorization: Bearer} station tokens and applying quotas. */
    public Filter tokenFilter(HandlerExceptionResolver problems) {
        return new StationTokenFilter(stations, quotas, metrics, problems);
    }
}
