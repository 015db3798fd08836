package dev.fleetkey.service.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.servlet.ServletException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

class BearerTokensTest {

    @AfterEach
    void clear() {
        SecurityContextHolder.clearContext();
    }

    @Test
    void theTokenIsReadFromABearerHeaderInAnyCaseAndTrimmed() {
        assertThat(BearerTokens.token(request("Bearer fks_abc "))).contains("fks_abc");
        assertThat(BearerTokens.token(request("bearer fku_xyz"))).contains("fku_xyz");
    }

    @Test
    void otherSchemesAndMissingHeadersHaveNoToken() {
        assertThat(BearerTokens.token(request("Basic YWRtaW46c2VjcmV0"))).isEmpty();
        assertThat(BearerTokens.token(request(null))).isEmpty();
    }

    @Test
    void theChainRunsAsTheTokensAuthenticationWhichIsClearedAfterwardsEvenOnFailure() {
        Authentication station = new TestingAuthenticationToken("station:1:line", "", "ROLE_STATION");
        AtomicReference<Authentication> seen = new AtomicReference<>();

        assertThatThrownBy(() -> BearerTokens.continueAs(station, request("Bearer fks_abc"), new MockHttpServletResponse(),
                (req, res) -> {
                    seen.set(SecurityContextHolder.getContext().getAuthentication());
                    assertThat(BearerTokens.authenticated()).isTrue();
                    throw new ServletException("downstream failed");
                })).hasMessage("downstream failed");

        assertThat(seen.get()).isSameAs(station);
        assertThat(BearerTokens.authenticated()).isFalse();
    }

    private static MockHttpServletRequest request(String authorization) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/v1/devices");
        if (authorization != null) {
            request.addHeader("Authorization", authorization);
        }
        return request;
    }
}
