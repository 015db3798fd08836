package dev.fleetkey.service.web;

import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.forwardedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.view;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Who may open which page: every page for ADMIN, the role limits for OPERATOR and AUDITOR, login for the rest. */
class RoleRulesTest extends WebPageTestSupport {

    private static final String DEMO = "/templates/demo-sensor/1";

    @ParameterizedTest
    @ValueSource(strings = {"/", "/devices", "/templates", DEMO, "/templates/editor", "/bundles", "/firmware", "/cas", "/stations",
            "/users", "/audit", "/audit/verify"})
    void adminOpensEveryPage(String page) throws Exception {
        mvc.perform(get(page).with(admin())).andExpect(status().isOk());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/devices", "/templates", DEMO, "/bundles", "/firmware", "/users", "/audit", "/cas", "/cas/root-ca.pem"})
    void loggedOutUserIsSentToLogin(String page) throws Exception {
        mvc.perform(get(page)).andExpect(redirectedUrl("/login"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/devices", "/templates", DEMO, "/bundles", "/firmware"})
    void operatorOpensDevicePages(String page) throws Exception {
        mvc.perform(get(page).with(operator())).andExpect(status().isOk());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/users", "/cas", "/cas/root-ca.pem", "/stations", "/audit", "/audit/verify", "/templates/editor"})
    void operatorGetsTheForbiddenPageForAdminPages(String page) throws Exception {
        mvc.perform(get(page).with(operator()))
                .andExpect(status().isForbidden())
                .andExpect(forwardedUrl(WebAccessRules.DENIED_PAGE));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/devices", "/templates", DEMO, "/bundles", "/firmware", "/cas", "/audit", "/audit/verify"})
    void auditorReadsEverythingButAdminPages(String page) throws Exception {
        mvc.perform(get(page).with(auditor())).andExpect(status().isOk());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/users", "/stations", "/templates/editor"})
    void auditorCannotOpenAdminPages(String page) throws Exception {
        mvc.perform(get(page).with(auditor())).andExpect(status().isForbidden());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/devices", "/devices/00-11-22-FF-FE-00-00-01/revoke", "/devices/00-11-22-FF-FE-00-00-01/rotate",
            "/devices/00-11-22-FF-FE-00-00-01/reveal", "/bundles/00-11-22-FF-FE-00-00-01/download", "/users", "/users/admin",
            "/templates/editor", "/cas/server-credentials", "/firmware"})
    void auditorCannotPost(String action) throws Exception {
        mvc.perform(post(action).with(auditor()).with(csrf())
                        .param("eui64", "00-11-22-FF-FE-00-00-01").param("template", "demo-sensor"))
                .andExpect(status().isForbidden())
                .andExpect(forwardedUrl(WebAccessRules.DENIED_PAGE));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/devices/00-11-22-FF-FE-00-00-01/reveal", "/users", "/templates/editor", "/cas/server-credentials",
            "/firmware"})
    void operatorCannotPostAdminActions(String action) throws Exception {
        mvc.perform(post(action).with(operator()).with(csrf())).andExpect(status().isForbidden());
    }

    @Test
    void postWithoutCsrfTokenIsRefusedEvenForAdmin() throws Exception {
        mvc.perform(post("/devices").with(admin()).param("eui64", newEui64()).param("template", "demo-sensor"))
                .andExpect(status().isForbidden());
    }

    @Test
    void forbiddenPageSaysWhatToDoWithoutAStackTrace() throws Exception {
        mvc.perform(get(WebAccessRules.DENIED_PAGE).with(operator()))
                .andExpect(status().isForbidden())
                .andExpect(view().name(ErrorPages.VIEW))
                .andExpect(content().string(containsString("Ask an administrator for a role that allows it")))
                .andExpect(content().string(org.hamcrest.Matchers.not(containsString("Exception"))));
    }

    @Test
    void adminNavigationOffersAdminPagesAndOperatorNavigationDoesNot() throws Exception {
        mvc.perform(get("/devices").with(admin()))
                .andExpect(content().string(containsString("href=\"/users\"")))
                .andExpect(content().string(containsString("href=\"/audit\"")));
        mvc.perform(get("/devices").with(operator()))
                .andExpect(content().string(org.hamcrest.Matchers.not(containsString("href=\"/users\""))))
                .andExpect(content().string(org.hamcrest.Matchers.not(containsString("href=\"/audit\""))));
    }
}
