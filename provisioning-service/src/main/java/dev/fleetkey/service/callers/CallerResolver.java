package dev.fleetkey.service.callers;

import dev.fleetkey.service.users.Role;
import java.util.Arrays;
import java.util.Optional;
import org.springframework.core.MethodParameter;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/** Resolves the {@link Caller} of the current request, so a controller method can take {@code Caller caller}. */
public final class CallerResolver implements HandlerMethodArgumentResolver {

    /**
     * The caller of the current request.
     *
     * @throws IllegalStateException when the request is not authenticated as a station or a user with a role: the
     *     security rules let no such request reach code that asks
     */
    public static Caller current() {
        return of(SecurityContextHolder.getContext().getAuthentication()).orElseThrow(() -> new IllegalStateException(
                "The request has no station or user with a role; the API security rules should have refused it"));
    }

    /** The caller {@code authentication} stands for, if it is a station or a user with a role. */
    public static Optional<Caller> of(Authentication authentication) {
        if (authentication == null || !authentication.isAuthenticated()) {
            return Optional.empty();
        }
        if (authentication instanceof CallerAuthentication known) {
            return Optional.of(known.caller());
        }
        return authentication.getAuthorities().stream().map(GrantedAuthority::getAuthority)
                .flatMap(authority -> Arrays.stream(Role.values()).filter(r -> authority.equals("ROLE_" + r.name())))
                .findFirst()
                .map(role -> new Caller.User(authentication.getName(), role, Caller.Via.PASSWORD));
    }

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == Caller.class;
    }

    @Override
    public Caller resolveArgument(MethodParameter parameter, ModelAndViewContainer mavContainer,
            NativeWebRequest webRequest, WebDataBinderFactory binderFactory) {
        return current();
    }
}
