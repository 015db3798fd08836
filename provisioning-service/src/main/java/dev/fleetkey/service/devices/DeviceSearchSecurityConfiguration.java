package dev.fleetkey.service.devices;

import dev.fleetkey.service.system.ApiAccessRules;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;

/**
 * Who may search and read devices: every user role (administrators, operators and auditors read devices on the UI
 * too), by password or API token; a station lists and reads only its own devices ({@link DeviceSearch},
 * {@link DeviceController}) and neither exports nor reads the summary. A device's bundle stays with administrators
 * and stations (it carries sealed secrets). Ordered first, because the stations' rule for
 * {@code GET /api/v1/devices/*} would otherwise match {@code /summary} and {@code /export} too.
 */
@Configuration(proxyBeanMethods = false)
class DeviceSearchSecurityConfiguration {

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    ApiAccessRules deviceSearchApiRules() {
        return auth -> auth
                .requestMatchers(HttpMethod.GET, DeviceController.BASE)
                        .hasAnyRole("ADMIN", "OPERATOR", "AUDITOR", "STATION")
                .requestMatchers(HttpMethod.GET, DeviceController.BASE + "/summary", DeviceController.BASE + "/export")
                        .hasAnyRole("ADMIN", "OPERATOR", "AUDITOR")
                .requestMatchers(HttpMethod.GET, DeviceController.BASE + "/*")
                        .hasAnyRole("ADMIN", "OPERATOR", "AUDITOR", "STATION");
    }
}
