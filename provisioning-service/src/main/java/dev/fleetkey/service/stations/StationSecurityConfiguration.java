package dev.fleetkey.service.stations;

import dev.fleetkey.service.system.ApiAccessRules;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;

/**
 * Which API calls are station work (a station's Bearer token, see {@link StationSecurity}) besides ADMIN's;
 * which devices a station may touch is checked in this feature.
 */
@Configuration(proxyBeanMethods = false)
class StationSecurityConfiguration {

    @Bean
    ApiAccessRules stationApiRules() {
        return auth -> auth
                .requestMatchers(HttpMethod.POST, "/api/v1/devices", "/api/v1/devices/*/eol", "/api/v1/batches")
                        .hasAnyRole("ADMIN", StationSecurity.ROLE)
                .requestMatchers(HttpMethod.GET, "/api/v1/devices/*", "/api/v1/devices/*/bundle", "/api/v1/batches/**")
                        .hasAnyRole("ADMIN", StationSecurity.ROLE);
    }
}
