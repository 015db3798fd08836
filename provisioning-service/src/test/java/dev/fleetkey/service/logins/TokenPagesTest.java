package dev.fleetkey.service.logins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.fleetkey.service.users.Role;
import dev.fleetkey.service.users.UserAdministration;
import dev.fleetkey.service.web.WebPageTestSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

/** The API tokens page every user has, and the tokens and failed logins an admin sees on the users page. */
class TokenPagesTest extends WebPageTestSupport {

    private static final Pattern SHOWN_TOKEN = Pattern.compile("id=\"user-token\">(fku_[A-Za-z0-9_-]{43})<");

    @Autowired
    UserAdministration users;

    @Test
    void anOperatorMakesATokenThatIsShownOnceAndRevokesIt() throws Exception {
        users.create("tomas", "tomas-password-1", Role.OPERATOR);
        RequestPostProcessor tomas = user("tomas").roles("OPERATOR");

        String created = mvc.perform(post("/tokens").with(tomas).with(csrf()).param("name", "nightly export")
                        .param("expiresInDays", "30"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("shown <strong>only now</strong>")))
                .andReturn().getResponse().getContentAsString();
        Matcher shown = SHOWN_TOKEN.matcher(created);
        assertThat(shown.find()).isTrue();
        String token = shown.group(1);

        String list = mvc.perform(get("/tokens").with(tomas))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("nightly export")))
                .andExpect(content().string(not(containsString(token))))
                .andReturn().getResponse().getContentAsString();
        String id = list.replaceAll("(?s).*id=\"token-(\\d+)\".*", "$1");
        mvc.perform(post("/tokens/" + id + "/revoke").with(tomas).with(csrf())).andExpect(redirectedUrl("/tokens"));
        mvc.perform(get("/tokens").with(tomas))
                .andExpect(content().string(containsString("<td class=\"token-state\">revoked</td>")));
    }

    @Test
    void aTokenWithoutANameIsRefusedInPlace() throws Exception {
        mvc.perform(post("/tokens").with(admin()).with(csrf()).param("name", " ").param("expiresInDays", "30"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("id=\"token-error\"")))
                .andExpect(content().string(containsString("Name the token")));
    }

    @Test
    void anAdminSeesEveryonesTokensAndFailedLoginsOnTheUsersPage() throws Exception {
        users.create("petra", "petra-password-1", Role.AUDITOR);
        mvc.perform(post("/tokens").with(user("petra").roles("AUDITOR")).with(csrf()).param("name", "petra-report")
                .param("expiresInDays", "7")).andExpect(status().isOk());

        mvc.perform(get("/users").with(admin()))
                .andExpect(content().string(containsString("id=\"user-token-table\"")))
                .andExpect(content().string(containsString("petra-report")))
                .andExpect(content().string(containsString("<td>petra</td>")))
                .andExpect(content().string(containsString("action=\"/users/tokens/")))
                .andExpect(content().string(containsString("id=\"login-failures\"")));
        mvc.perform(post("/users/login-locks").with(operator()).with(csrf()).param("kind", "ACCOUNT").param("subject", "petra"))
                .andExpect(status().isForbidden());
    }
}
