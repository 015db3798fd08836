package dev.fleetkey.service.logins;

import dev.fleetkey.service.system.ApiAccessRules;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Who may call the API token endpoints: every user their own; other users' tokens are ADMIN's (the default). */
@Configuration(proxyBeanMethods = false)
class LoginsSecurityConfiguration {

    @Bean
    ApiAccessRules userTokenApiRules() {
        // every user manages their own API tokens; other users' tokens are ADMIN's (anyRequest)
        return auth -> auth.requestMatchers("/api/v1/users/me/tokens", "/api/v1/users/me/tokens/*")
                .hasAnyRole("ADMIN", "OPERATOR", "AUDITOR");
    }
}
