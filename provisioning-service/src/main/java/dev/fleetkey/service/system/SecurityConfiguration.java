package dev.fleetkey.service.system;

import dev.fleetkey.service.logins.LoginSecurity;
import dev.fleetkey.service.stations.StationSecurity;
import dev.fleetkey.service.web.WebAccessRules;
import jakarta.servlet.Filter;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Two filter chains: {@code /api/**} is stateless HTTP Basic or a bearer token (a user's {@code fku_}, a
 * station's {@code fks_}) for scripts (CSRF off, as no browser session is involved); everything else is the web
 * UI with form login, a session and CSRF on, where tokens count for nothing. Password logins on both are
 * throttled (see {@code logins.LoginThrottle}).
 * Who may call what under {@code /api/**} each feature says in its own {@link ApiAccessRules} bean (anything no
 * feature opens needs ADMIN); who may open which page says {@link WebAccessRules}; the firmware and actuator
 * APIs have chains of their own ({@code firmware.FirmwareSecurityConfiguration}, {@code health.HealthConfiguration}).
 * Security failures in the filter chain are handed to {@link ProblemDetailsAdvice} so every problem
 * detail comes from one place.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    @Bean
    @Order(1)
    SecurityFilterChain apiChain(HttpSecurity http, ObjectProvider<ApiAccessRules> featureRules,
            StationSecurity stations, LoginSecurity logins,
            @Qualifier("handlerExceptionResolver") HandlerExceptionResolver resolver) throws Exception {
        AuthenticationEntryPoint unauthenticated = (request, response, e) ->
                resolver.resolveException(request, response, null, LoginSecurity.problemFor(e));
        Filter stationTokens = stations.tokenFilter(resolver);
        AccessDeniedHandler forbidden = (request, response, e) -> resolver.resolveException(request, response, null, e);
        return http
                .securityMatcher("/api/**")
                .authorizeHttpRequests(auth -> {
                    featureRules.orderedStream().forEach(rules -> rules.authorize(auth));
                    auth.anyRequest().hasRole("ADMIN");
                })
                .addFilterBefore(stationTokens, BasicAuthenticationFilter.class)
                .addFilterBefore(logins.userTokenFilter(resolver), stationTokens.getClass())
                .httpBasic(basic -> basic.authenticationEntryPoint(unauthenticated))
                .exceptionHandling(ex -> ex.authenticationEntryPoint(unauthenticated).accessDeniedHandler(forbidden))
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.disable())
                .build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain webChain(HttpSecurity http, LoginSecurity logins) throws Exception {
        return http
                .authorizeHttpRequests(auth -> {
                    // the API description holds no data and tells integrators how to call; calls still need credentials
                    auth.requestMatchers("/swagger-ui.html", "/swagger-ui/**", "/v3/api-docs", "/v3/api-docs/**").permitAll();
                    WebAccessRules.authorize(auth);
                })
                .formLogin(form -> form.loginPage("/login").defaultSuccessUrl("/", true)
                        .failureHandler(logins.formLoginFailures()).permitAll())
                .logout(logout -> logout.logoutSuccessUrl("/login?logout"))
                .exceptionHandling(ex -> ex.accessDeniedPage(WebAccessRules.DENIED_PAGE))
                .headers(WebAccessRules::headers)
                .build();
    }
}
