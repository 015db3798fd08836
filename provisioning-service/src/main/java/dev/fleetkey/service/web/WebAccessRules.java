package dev.fleetkey.service.web;

import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.security.config.annotation.web.configurers.HeadersConfigurer;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;

/**
 * Who may open which page of the admin UI, and the headers every page carries. ADMIN may do everything (and
 * alone releases firmware; every role lists and downloads packages);
 * OPERATOR works with devices and bundles but opens no admin page (users, CAs, stations, template
 * editing, the audit log); AUDITOR reads everything an operator reads plus CAs and the audit log, and
 * changes nothing. Anything not listed needs ADMIN, so a new page is closed until a rule opens it.
 */
public final class WebAccessRules {

    /** Where a refused request is forwarded to render the friendly 403 page. */
    public static final String DENIED_PAGE = "/denied";

    /** Content Security Policy: nothing but this origin's own files, no framing, forms post home only. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' data:; object-src 'none'; "
            + "base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    private WebAccessRules() {
    }

    public static void authorize(
            AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry auth) {
        auth
                .requestMatchers("/login", "/css/**", "/favicon.ico", "/error", DENIED_PAGE).permitAll()
                // revealing a PSK: ADMIN only, and the controller asks for the password again
                .requestMatchers(HttpMethod.POST, "/devices/*/reveal").hasRole("ADMIN")
                .requestMatchers(HttpMethod.POST, "/devices", "/devices/*/revoke", "/devices/*/rotate",
                        "/bundles/*/download").hasAnyRole("ADMIN", "OPERATOR")
                .requestMatchers(HttpMethod.GET, "/", "/devices", "/devices/**", "/templates", "/templates/*/*",
                        "/bundles", "/firmware", "/firmware/*", "/firmware/*/download")
                .hasAnyRole("ADMIN", "OPERATOR", "AUDITOR")
                // every user's own API tokens; the controller keeps each to their own
                .requestMatchers("/tokens", "/tokens/*/revoke").hasAnyRole("ADMIN", "OPERATOR", "AUDITOR")
                .requestMatchers(HttpMethod.GET, "/audit", "/audit/**", "/cas", "/cas/*.pem")
                .hasAnyRole("ADMIN", "AUDITOR")
                .anyRequest().hasRole("ADMIN");
    }

    public static void headers(HeadersConfigurer<HttpSecurity> headers) {
        headers
                .contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
                .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.SAME_ORIGIN))
                .frameOptions(frame -> frame.deny())
                .permissionsPolicyHeader(permissions -> permissions.policy("camera=(), microphone=(), geolocation=(), usb=()"));
    }
}
