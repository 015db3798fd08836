package dev.fleetkey.service.audit;

import dev.fleetkey.service.system.ApiAccessRules;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;

/** Who may call the audit API: ADMIN and AUDITOR read it, verify exports and sign checkpoints. */
@Configuration(proxyBeanMethods = false)
class AuditSecurityConfiguration {

    @Bean
    ApiAccessRules auditApiRules() {
        return auth -> auth
                .requestMatchers(HttpMethod.GET, "/api/v1/audit/**").hasAnyRole("ADMIN", "AUDITOR")
                // checking the chain against an exported file and signing a checkpoint change no entry
                .requestMatchers(HttpMethod.POST, "/api/v1/audit/verify", "/api/v1/audit/checkpoints")
                        .hasAnyRole("ADMIN", "AUDITOR");
    }
}
