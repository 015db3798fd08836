package dev.fleetkey.service.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

class BearerTokenFilterTest {

    @AfterEach
    void clear() {
        SecurityContextHolder.clearContext();
    }

    @Test
    void theTokenIsReadFromABearerHeaderInAnyCaseAndTrimmed() {
        assertThat(BearerTokenFilter.token(request("Bearer fks_abc "))).contains("fks_abc");
        assertThat(BearerTokenFilter.token(request("bearer fku_xyz"))).contains("fku_xyz");
    }

    @Test
    void otherSchemesAndMissingHeadersHaveNoToken() {
        assertThat(BearerTokenFilter.token(request("Basic YWRtaW46c2VjcmV0"))).isEmpty();
        assertThat(BearerTokenFilter.token(request(null))).isEmpty();
    }

    @Test
    void theChainRunsAsTheTokensAuthenticationWhichIsClearedAfterwardsEvenOnFailure() {
        Authentication station = new TestingAuthenticationToken("station:1:line", "", "ROLE_STATION");
        AtomicReference<Authentication> seen = new AtomicReference<>();

        assertThatThrownBy(() -> BearerTokenFilter.continueAs(station, request("Bearer fks_abc"), new MockHttpServletResponse(),
                (req, res) -> {
                    seen.set(SecurityContextHolder.getContext().getAuthentication());
                    assertThat(BearerTokenFilter.authenticated()).isTrue();
                    throw new ServletException("downstream failed");
                })).hasMessage("downstream failed");

        assertThat(seen.get()).isSameAs(station);
        assertThat(BearerTokenFilter.authenticated()).isFalse();
    }

    @Test
    void aTokenTheFilterDoesNotHandlePassesOnUntouched() throws Exception {
        AtomicReference<Authentication> seen = new AtomicReference<>(new TestingAuthenticationToken("unset", ""));

        new OnlyFks().doFilter(request("Bearer fku_abc"), new MockHttpServletResponse(),
                (req, res) -> seen.set(SecurityContextHolder.getContext().getAuthentication()));

        assertThat(seen.get()).isNull();
    }

    @Test
    void anAcceptedTokenRunsTheChainAsWhatItStandsFor() throws Exception {
        AtomicReference<Authentication> seen = new AtomicReference<>();

        new OnlyFks().doFilter(request("Bearer fks_good"), new MockHttpServletResponse(),
                (req, res) -> seen.set(SecurityContextHolder.getContext().getAuthentication()));

        assertThat(seen.get().getName()).isEqualTo("station:1:line");
        assertThat(BearerTokenFilter.authenticated()).isFalse();
    }

    @Test
    void aRefusedTokenEndsTheRequestWithTheFiltersAnswer() throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        AtomicBoolean chainRan = new AtomicBoolean();

        new OnlyFks().doFilter(request("Bearer fks_bad"), response, (req, res) -> chainRan.set(true));

        assertThat(chainRan).isFalse();
        assertThat(response.getStatus()).isEqualTo(401);
    }

    @Test
    void byDefaultARequestAnEarlierFilterAuthenticatedIsLeftAlone() throws Exception {
        Authentication user = new TestingAuthenticationToken("alice", "", "ROLE_OPERATOR");
        SecurityContextHolder.getContext().setAuthentication(user);
        AtomicReference<Authentication> seen = new AtomicReference<>();

        new AcceptsAny().doFilter(request("Bearer fks_good"), new MockHttpServletResponse(),
                (req, res) -> seen.set(SecurityContextHolder.getContext().getAuthentication()));

        assertThat(seen.get()).isSameAs(user);
    }

    /** Keeps the default of which tokens it handles; accepts every one. */
    private static final class AcceptsAny extends BearerTokenFilter {

        @Override
        protected Optional<Authentication> authenticate(String token, HttpServletRequest request,
                HttpServletResponse response) {
            return Optional.of(new TestingAuthenticationToken("station:1:line", "", "ROLE_STATION"));
        }
    }

    /** Handles fks_ tokens; accepts fks_good, refuses any other with 401. */
    private static final class OnlyFks extends BearerTokenFilter {

        @Override
        protected boolean handles(String token) {
            return token.startsWith("fks_");
        }

        @Override
        protected Optional<Authentication> authenticate(String token, HttpServletRequest request,
                HttpServletResponse response) {
            if (!token.equals("fks_good")) {
                response.setStatus(401);
                return Optional.empty();
            }
            return Optional.of(new TestingAuthenticationToken("station:1:line", "", "ROLE_STATION"));
        }
    }

    private static MockHttpServletRequest request(String authorization) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/v1/devices");
        if (authorization != null) {
            request.addHeader("Authorization", authorization);
        }
        return request;
    }
}
