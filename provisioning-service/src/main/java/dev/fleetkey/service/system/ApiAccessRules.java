package dev.fleetkey.service.system;

import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;

/**
 * One feature's rules for who may call its part of {@code /api/**}, contributed as a bean by that feature's
 * security configuration. The API chain ({@link SecurityConfiguration}) applies every feature's rules and closes
 * everything else to ADMIN, so a new endpoint is closed until its feature opens it. Rules of different features
 * must not match the same requests.
 */
@FunctionalInterface
public interface ApiAccessRules {

    void authorize(AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry auth);
}
