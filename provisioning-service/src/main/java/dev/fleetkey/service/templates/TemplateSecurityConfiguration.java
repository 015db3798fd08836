package dev.fleetkey.service.templates;

import dev.fleetkey.service.system.ApiAccessRules;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;

/** Who may call the templates API: the schema is public, the rest is the API chain's default. */
@Configuration(proxyBeanMethods = false)
class TemplateSecurityConfiguration {

    @Bean
    ApiAccessRules templateApiRules() {
        // the template schema holds no data: editors (VS Code's YAML extension) fetch it by URL
        return auth -> auth.requestMatchers(HttpMethod.GET, "/api/v1/templates/schema").permitAll();
    }
}
