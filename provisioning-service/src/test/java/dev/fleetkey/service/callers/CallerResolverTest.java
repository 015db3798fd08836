package dev.fleetkey.service.callers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetkey.service.users.Role;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;

class CallerResolverTest {

    @AfterEach
    void clear() {
        SecurityContextHolder.clearContext();
    }

    @Test
    void aPasswordLoginIsAUserWithTheRoleItWasGranted() {
        var login = UsernamePasswordAuthenticationToken.authenticated("alice", null,
                List.of(new SimpleGrantedAuthority("ROLE_AUDITOR")));

        assertThat(CallerResolver.of(login)).contains(new Caller.User("alice", Role.AUDITOR, Caller.Via.PASSWORD));
    }

    @Test
    void anAuthenticationThatKnowsItsCallerIsTakenAtItsWord() {
        Caller station = new Caller.Station(7, "line-3");
        SecurityContextHolder.getContext().setAuthentication(new KnownCaller(station));

        assertThat(CallerResolver.current()).isEqualTo(station);
    }

    @Test
    void anAnonymousRequestHasNoCaller() {
        var anonymous = new AnonymousAuthenticationToken("key", "anonymousUser",
                List.of(new SimpleGrantedAuthority("ROLE_ANONYMOUS")));

        assertThat(CallerResolver.of(anonymous)).isEmpty();
        assertThat(CallerResolver.of(null)).isEmpty();
        assertThatThrownBy(CallerResolver::current).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no station or user");
    }

    @Test
    void stationsAndUsersKeepTheirIdempotencyKeysApart() {
        assertThat(new Caller.Station(7, "line-3").idempotencyScope()).isEqualTo("station:7");
        assertThat(new Caller.Station(7, "line-3").auditName()).isEqualTo("station:7:line-3");
        assertThat(new Caller.User("alice", Role.ADMIN, Caller.Via.API_TOKEN).idempotencyScope()).isEqualTo("user:alice");
    }

    private static final class KnownCaller extends TestingAuthenticationToken implements CallerAuthentication {

        private static final long serialVersionUID = 1L;
        private final transient Caller caller;

        KnownCaller(Caller caller) {
            super("someone", "", "ROLE_STATION");
            this.caller = caller;
        }

        @Override
        public Caller caller() {
            return caller;
        }
    }
}
