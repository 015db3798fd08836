package dev.fleetkey.service.bundles;

import dev.fleetkey.service.system.ApiAccessRules;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;

/** Who may call the bundles API: the bundle-signer certificate is public, the rest is the API chain's default. */
@Configuration(proxyBeanMethods = false)
class BundleSecurityConfiguration {

    @Bean
    ApiAccessRules bundleApiRules() {
        // the bundle-signer certificate is public: devices and installers need it without a login
        return auth -> auth.requestMatchers(HttpMethod.GET, "/api/v1/trust/**").permitAll();
    }
}
