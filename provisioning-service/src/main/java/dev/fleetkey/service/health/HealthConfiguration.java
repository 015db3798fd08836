package dev.fleetkey.service.health;

import dev.fleetkey.service.endpoint.DeviceEndpointLifecycle;
import dev.fleetkey.service.pki.KeyVault;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Actuator wiring: the {@code keys} and {@code deviceEndpoint} health indicators (with Spring Boot's
 * {@code db} they make up the readiness group, see application.yml) and the {@code /actuator/**} filter chain:
 * the health status is public (load balancers and scripts poll it without credentials); the Prometheus metrics
 * need an administrator or auditor, details and anything else an administrator, over HTTP Basic, answering 401
 * problem details otherwise.
 */
@Configuration(proxyBeanMethods = false)
class HealthConfiguration {

    @Bean
    KeysHealthIndicator keysHealthIndicator(KeyVault vault) {
        return new KeysHealthIndicator(vault);
    }

    @Bean
    DeviceEndpointHealthIndicator deviceEndpointHealthIndicator(ObjectProvider<DeviceEndpointLifecycle> endpoint) {
        return new DeviceEndpointHealthIndicator(Optional.ofNullable(endpoint.getIfAvailable()));
    }

    @Bean
    @Order(0)
    SecurityFilterChain actuatorChain(HttpSecurity http,
            @Qualifier("handlerExceptionResolver") HandlerExceptionResolver resolver) throws Exception {
        AuthenticationEntryPoint unauthenticated = (request, response, e) -> resolver.resolveException(request, response, null, e);
        AccessDeniedHandler forbidden = (request, response, e) -> resolver.resolveException(request, response, null, e);
        return http
                .securityMatcher("/actuator/**")
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers(HttpMethod.GET, "/actuator/health", "/actuator/health/**").permitAll()
                        // a scraper needs only a read-only login: an AUDITOR user (DEPLOYMENT.md, "Metrics")
                        .requestMatchers(HttpMethod.GET, "/actuator/prometheus").hasAnyRole("ADMIN", "AUDITOR")
                        .anyRequest().hasRole("ADMIN"))
                .httpBasic(basic -> basic.authenticationEntryPoint(unauthenticated))
                .exceptionHandling(ex -> ex.authenticationEntryPoint(unauthenticated).accessDeniedHandler(forbidden))
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.disable())
                .build();
    }
}
