package dev.fleetkey.service.stations;

import dev.fleetkey.service.logins.BearerTokenRefusedException;
import dev.fleetkey.service.system.BearerTokenFilter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.Authentication;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * {@code Authorization: Bearer fks_...} on the API: authenticates the station, then takes one request from
 * its quota. Failures are problem details (401, 429 with {@code Retry-After}) from the shared advice. The
 * token is never logged; only the station's name is. Runs only in the API filter chain.
 * Each 429 counts in {@code fleetkey_station_quota_hits_total{station}}.
 */
final class StationTokenFilter extends BearerTokenFilter {

    private static final Logger log = LoggerFactory.getLogger(StationTokenFilter.class);

    private final StationService stations;
    static final String QUOTA_HITS = "fleetkey.station.quota.hits";

    private final StationQuotas quotas;
    private final MeterRegistry metrics;
    private final HandlerExceptionResolver problems;

    StationTokenFilter(StationService stations, StationQuotas quotas, MeterRegistry metrics, HandlerExceptionResolver problems) {
        this.stations = stations;
        this.quotas = quotas;
        this.metrics = metrics;
        this.problems = problems;
    }

    @Override
    protected Optional<Authentication> authenticate(String token, HttpServletRequest request,
            HttpServletResponse response) {
        Optional<Station> station = stations.authenticate(token);
        if (station.isEmpty()) {
            log.info("{} {} -> 401: unknown, revoked or disabled station token", request.getMethod(), request.getRequestURI());
            problems.resolveException(request, response, null, new BearerTokenRefusedException("The bearer token is not a valid"
                    + " station token, or it was revoked or its station disabled: ask an administrator for a new token"
                    + " (POST /api/v1/stations/{id}/token)"));
            return Optional.empty();
        }
        Station s = station.get();
        Duration wait = quotas.acquire(s.id(), s.quotaPerMinute());
        if (!wait.isZero()) {
            Counter.builder(QUOTA_HITS).description("Station requests refused 429 because the station's quota was used up")
                    .tag("station", s.name()).register(metrics).increment();
            problems.resolveException(request, response, null, new QuotaExceededException(s, wait));
            return Optional.empty();
        }
        return Optional.of(new StationPrincipal.Authentication(new StationPrincipal(s)));
    }
}
