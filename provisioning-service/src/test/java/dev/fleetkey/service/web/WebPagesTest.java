package dev.fleetkey.service.web;

import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.view;

import dev.fleetkey.service.TestService;
import dev.fleetkey.service.console.DashboardPageController;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.http.MediaType;

/** Login, logout, the dashboard and the headers every page carries. */
class WebPagesTest extends WebPageTestSupport {

    @Test
    void loggedOutUserIsSentToLogin() throws Exception {
        mvc.perform(get("/"))
                .andExpect(status().is3xxRedirection())
                .andExpect(redirectedUrl("/login"));
    }

    @Test
    void loginPageOffersAFormWithCsrfToken() throws Exception {
        mvc.perform(get("/login"))
                .andExpect(status().isOk())
                .andExpect(view().name(DashboardPageController.VIEW_LOGIN))
                .andExpect(content().string(containsString("<form action=\"/login\" method=\"post\">")))
                .andExpect(content().string(containsString("name=\"_csrf\"")))
                .andExpect(content().string(containsString("initial-admin-password")));
    }

    @Test
    void adminLogsInWithTheInitialPasswordAndTheLoginIsAudited() throws Exception {
        long before = count("user.login");
        mvc.perform(formLogin("/login").user("admin").password(TestService.ADMIN_PASSWORD))
                .andExpect(redirectedUrl("/"));
        org.assertj.core.api.Assertions.assertThat(count("user.login")).isEqualTo(before + 1);
    }

    @Test
    void wrongPasswordReturnsToLoginWithAnErrorAndIsAudited() throws Exception {
        long before = count("user.login-failed");
        mvc.perform(formLogin("/login").user("admin").password("not-it"))
                .andExpect(redirectedUrl("/login?error"));
        org.assertj.core.api.Assertions.assertThat(count("user.login-failed")).isEqualTo(before + 1);
    }

    @Test
    void loginWithoutCsrfTokenIsRefused() throws Exception {
        mvc.perform(post("/login").param("username", "admin").param("password", TestService.ADMIN_PASSWORD))
                .andExpect(status().isForbidden());
    }

    @Test
    void logoutEndsTheSession() throws Exception {
        mvc.perform(post("/logout").with(admin()).with(csrf()))
                .andExpect(redirectedUrl("/login?logout"));
    }

    @Test
    void sessionsEndAfterThirtyIdleMinutesUnlessConfigured(@Autowired Environment environment) {
        org.assertj.core.api.Assertions.assertThat(environment.getProperty("server.servlet.session.timeout", Duration.class))
                .isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void pagesCarrySecurityHeaders() throws Exception {
        mvc.perform(get("/login"))
                .andExpect(header().string("Content-Security-Policy", containsString("default-src 'self'")))
                .andExpect(header().string("Content-Security-Policy", containsString("frame-ancestors 'none'")))
                .andExpect(header().string("X-Frame-Options", "DENY"))
                .andExpect(header().string("X-Content-Type-Options", "nosniff"))
                .andExpect(header().string("Referrer-Policy", "same-origin"))
                .andExpect(header().string("Permissions-Policy", containsString("camera=()")));
    }

    @Test
    void dashboardCountsDevicesAndDrawsTheRateChart() throws Exception {
        String before = mvc.perform(get("/").with(admin()))
                .andExpect(status().isOk())
                .andExpect(view().name(DashboardPageController.VIEW_DASHBOARD))
                .andReturn().getResponse().getContentAsString();
        long count = Long.parseLong(before.replaceAll("(?s).*id=\"device-count\">(\\d+)<.*", "$1"));

        mvc.perform(post("/api/v1/devices").with(httpBasic("admin", TestService.ADMIN_PASSWORD))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"eui64\":\"" + newEui64() + "\",\"template\":\"demo-sensor\"}"))
                .andExpect(status().isCreated());

        mvc.perform(get("/").with(admin()))
                .andExpect(content().string(containsString("id=\"device-count\">" + (count + 1) + "<")))
                .andExpect(content().string(containsString("id=\"rate-chart\"")))
                .andExpect(content().string(containsString("<dt>PSK</dt>")))
                .andExpect(content().string(containsString("<h2>By credential mode</h2>")))
                .andExpect(content().string(containsString("<dl class=\"counts\" id=\"by-template\">")))
                .andExpect(content().string(containsString("id=\"no-check-ins\"")))
                .andExpect(content().string(containsString("device.provisioned")))
                .andExpect(content().string(containsString("action=\"/logout\"")));
    }

    @Test
    void operatorDashboardLeavesOutAuditEventsAndAdminLinks() throws Exception {
        mvc.perform(get("/").with(operator()))
                .andExpect(status().isOk())
                .andExpect(content().string(org.hamcrest.Matchers.not(containsString("Latest audit events"))))
                .andExpect(content().string(org.hamcrest.Matchers.not(containsString("href=\"/users\""))));
    }

    @Test
    void everyPageIsTitledByTheLayoutWithItsOwnTitle() throws Exception {
        mvc.perform(get("/login"))
                .andExpect(content().string(containsString("<title>Log in · Fleetkey</title>")))
                .andExpect(content().string(containsString("<header class=\"bar\">")));
        mvc.perform(get("/cas").with(admin()))
                .andExpect(content().string(containsString("<title>CAs &amp; trust · Fleetkey</title>")));
        mvc.perform(get("/no-such-page").with(admin()))
                .andExpect(content().string(containsString("<title>Not found · Fleetkey</title>")));
    }

    @Test
    void unknownPageShowsTheFriendlyNotFoundPage() throws Exception {
        mvc.perform(get("/no-such-page").with(admin()))
                .andExpect(status().isNotFound())
                .andExpect(view().name(ErrorPages.VIEW))
                .andExpect(content().string(containsString("There is no page at /no-such-page")));
    }

    @Test
    void wrongMethodAndUnreadableAddressGetFriendlyPages() throws Exception {
        mvc.perform(get("/devices/00-11-22-FF-FE-00-00-01/reveal").with(admin()))
                .andExpect(status().isMethodNotAllowed())
                .andExpect(content().string(containsString("Use the buttons and links")));
        mvc.perform(get("/bundles").param("page", "abc").with(admin()))
                .andExpect(status().isBadRequest())
                .andExpect(content().string(containsString("Cannot read this address")));
    }

    @Test
    void unknownApiPathKeepsProblemDetails() throws Exception {
        mvc.perform(get("/api/v1/no-such-thing").with(httpBasic("admin", TestService.ADMIN_PASSWORD)))
                .andExpect(status().isNotFound())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
    }

    private long count(String action) {
        return jdbc.sql("SELECT COUNT(*) FROM audit_events WHERE action = :a").param("a", action).query(Long.class).single();
    }
}
