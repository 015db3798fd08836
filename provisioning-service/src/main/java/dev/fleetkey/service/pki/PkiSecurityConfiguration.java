package dev.fleetkey.service.pki;

import dev.fleetkey.service.system.ApiAccessRules;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;

/** Who may call the PKI API: revocation lists are public (relying parties fetch them unauthenticated). */
@Configuration(proxyBeanMethods = false)
class PkiSecurityConfiguration {

    @Bean
    ApiAccessRules pkiApiRules() {
        return auth -> auth.requestMatchers(HttpMethod.GET, PkiController.BASE + "/cas/*/crl").permitAll();
    }
}
