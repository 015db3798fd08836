package dev.fleetkey.service.system;

import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.view;

import dev.fleetkey.service.TestService;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/** Login and dashboard pages, with the form-login chain's CSRF protection. */
@SpringBootTest
@AutoConfigureMockMvc
class WebPagesTest {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestService.register(registry, TestService.newDataDir());
    }

    @Autowired
    MockMvc mvc;

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
                .andExpect(view().name(WebPagesController.VIEW_LOGIN))
                .andExpect(content().string(containsString("<form action=\"/login\" method=\"post\">")))
                .andExpect(content().string(containsString("name=\"_csrf\"")))
                .andExpect(content().string(containsString("initial-admin-password")));
    }

    @Test
    void adminLogsInWithTheInitialPassword() throws Exception {
        mvc.perform(formLogin("/login").user("admin").password(TestService.ADMIN_PASSWORD))
                .andExpect(redirectedUrl("/"));
    }

    @Test
    void wrongPasswordReturnsToLoginWithAnError() throws Exception {
        mvc.perform(formLogin("/login").user("admin").password("not-it"))
                .andExpect(redirectedUrl("/login?error"));
    }

    @Test
    void loginWithoutCsrfTokenIsRefused() throws Exception {
        mvc.perform(post("/login").param("username", "admin").param("password", TestService.ADMIN_PASSWORD))
                .andExpect(status().isForbidden());
    }

    @Test
    void dashboardShowsTheDeviceCount() throws Exception {
        String before = mvc.perform(get("/").with(user("admin").roles("ADMIN")))
                .andExpect(status().isOk())
                .andExpect(view().name(WebPagesController.VIEW_DASHBOARD))
                .andReturn().getResponse().getContentAsString();
        long count = Long.parseLong(before.replaceAll("(?s).*id=\"device-count\">(\\d+)<.*", "$1"));

        mvc.perform(post("/api/v1/devices").with(httpBasic("admin", TestService.ADMIN_PASSWORD))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"eui64\":\"00-11-22-FF-FE-00-50-01\",\"template\":\"demo-sensor\"}"))
                .andExpect(status().isCreated());

        mvc.perform(get("/").with(user("admin").roles("ADMIN")))
                .andExpect(content().string(containsString("id=\"device-count\">" + (count + 1) + "<")))
                .andExpect(content().string(containsString("action=\"/logout\"")));
    }
}
