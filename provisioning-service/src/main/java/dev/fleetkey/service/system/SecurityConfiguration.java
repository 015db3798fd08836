package dev.fleetkey.service.system;

import dev.fleetkey.service.logins.LoginSecurity;
import dev.fleetkey.service.stations.StationSecurity;
import dev.fleetkey.service.web.WebAccessRules;
import jakarta.servlet.Filter;
import java.util.Map;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
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
 * Security failures in the filter chain are handed to {@link ProblemDetailsAdvice} so every problem
 * detail comes from one place.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    /**
     * Argon2id (memory-hard, the OWASP first choice) for new hashes; bcrypt hashes stay verifiable
     * behind the {@code {bcrypt}} prefix so the algorithm can change without locking anyone out.
     */
    @Bean
    PasswordEncoder passwordEncoder() {
        String argon2 = "argon2@SpringSecurity_v5_8";
        return new DelegatingPasswordEncoder(argon2, Map.of(
                argon2, Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8(),
                "bcrypt", new BCryptPasswordEncoder()));
    }

    @Bean
    @Order(1)
    SecurityFilterChain apiChain(HttpSecurity http, StationSecurity stations, LoginSecurity logins,
            @Qualifier("handlerExceptionResolver") HandlerExceptionResolver resolver) throws Exception {
        AuthenticationEntryPoint unauthenticated = (request, response, e) ->
                resolver.resolveException(request, response, null, LoginSecurity.problemFor(e));
        Filter stationTokens = stations.tokenFilter(resolver);
        AccessDeniedHandler forbidden = (request, response, e) -> resolver.resolveException(request, response, null, e);
        return http
                .securityMatcher("/api/**")
                .authorizeHttpRequests(auth -> auth
                        // the bundle-signer certificate is public: devices and installers need it without a login
                        .requestMatchers(HttpMethod.GET, "/api/v1/trust/**").permitAll()
                        // the template schema holds no data: editors (VS Code's YAML extension) fetch it by URL
                        .requestMatchers(HttpMethod.GET, "/api/v1/templates/schema").permitAll()
                        .requestMatchers(HttpMethod.GET, "/api/v1/audit/**").hasAnyRole("ADMIN", "AUDITOR")
                        // checking the chain against an exported file and signing a checkpoint change no entry
                        .requestMatchers(HttpMethod.POST, "/api/v1/audit/verify", "/api/v1/audit/checkpoints")
                                .hasAnyRole("ADMIN", "AUDITOR")
                        // every user manages their own API tokens; other users' tokens are ADMIN's (anyRequest)
                        .requestMatchers("/api/v1/users/me/tokens", "/api/v1/users/me/tokens/*")
                                .hasAnyRole("ADMIN", "OPERATOR", "AUDITOR")
                        // station work (Bearer token); which devices a station may touch is checked in stations
                        .requestMatchers(HttpMethod.POST, "/api/v1/devices", "/api/v1/devices/*/eol", "/api/v1/batches")
                                .hasAnyRole("ADMIN", StationSecurity.ROLE)
                        .requestMatchers(HttpMethod.GET, "/api/v1/devices/*", "/api/v1/devices/*/bundle", "/api/v1/batches/**")
                                .hasAnyRole("ADMIN", StationSecurity.ROLE)
                        .anyRequest().hasRole("ADMIN"))
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
