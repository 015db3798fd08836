package dev.fleetkey.service.firmware;

import dev.fleetkey.service.logins.LoginSecurity;
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
 * The firmware API's own filter chain, ahead of the general API chain: an admin (HTTP Basic or a personal
 * {@code fku_} API token) or a build pipeline with a release token may package and download; release tokens are
 * recognised here only.
 */
@Configuration(proxyBeanMethods = false)
class FirmwareSecurityConfiguration {

    @Bean
    @Order(0)
    SecurityFilterChain firmwareChain(HttpSecurity http, ReleaseTokens tokens, LoginSecurity logins,
            @Qualifier("handlerExceptionResolver") HandlerExceptionResolver resolver) throws Exception {
        AuthenticationEntryPoint unauthenticated = (request, response, e) ->
                resolver.resolveException(request, response, null, LoginSecurity.problemFor(e));
        AccessDeniedHandler forbidden = (request, response, e) -> resolver.resolveException(request, response, null, e);
        return http
                .securityMatcher("/api/v1/firmware/**")
                .authorizeHttpRequests(auth -> auth.anyRequest().hasAnyRole("ADMIN", ReleaseTokenFilter.ROLE))
                .addFilterBefore(new ReleaseTokenFilter(tokens, unauthenticated), BasicAuthenticationFilter.class)
                .addFilterBefore(logins.userTokenFilter(resolver), ReleaseTokenFilter.class)
                .httpBasic(basic -> basic.authenticationEntryPoint(unauthenticated))
                .exceptionHandling(ex -> ex.authenticationEntryPoint(unauthenticated).accessDeniedHandler(forbidden))
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.disable())
                .build();
    }
}
