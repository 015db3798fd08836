package dev.fleetkey.service.stations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.view;

import dev.fleetkey.bundle.Sha256;
import dev.fleetkey.service.stations.StationService;
import dev.fleetkey.service.web.WebPageTestSupport;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Stations through the admin pages: create with the token shown once, edit, disable, new token; ADMIN only. */
class StationPagesTest extends WebPageTestSupport {

    private static final AtomicInteger NEXT = new AtomicInteger();
    private static final Pattern TOKEN = Pattern.compile("id=\"station-token\">([^<]+)<");

    @Autowired
    StationService stations;

    @Test
    void adminCreatesAStationAndSeesItsTokenOnceAndNeverAgain() throws Exception {
        String name = newName();
        String page = mvc.perform(post("/stations").with(admin()).with(csrf()).param("name", name)
                        .param("allowedTemplates", "demo-sensor").param("allowedTemplates", "demo-x509")
                        .param("quotaPerMinute", "120"))
                .andExpect(status().isOk())
                .andExpect(view().name(StationPageController.VIEW_TOKEN))
                .andExpect(header().string("Cache-Control", containsString("no-store")))
                .andReturn().getResponse().getContentAsString();
        String token = token(page);
        assertThat(stations.authenticate(token)).get().satisfies(s -> {
            assertThat(s.name()).isEqualTo(name);
            assertThat(s.allowedTemplates()).containsExactly("demo-sensor", "demo-x509");
            assertThat(s.quotaPerMinute()).isEqualTo(120);
        });
        mvc.perform(get("/stations").with(admin()))
                .andExpect(content().string(containsString(name)))
                .andExpect(content().string(not(containsString(token))))
                .andExpect(content().string(containsString("none (bundles not sealed)")));
        assertThat(jdbc.sql("SELECT actor FROM audit_events WHERE action = 'station.created' AND subject LIKE :s")
                .param("s", "%:" + name).query(String.class).single()).isEqualTo("admin");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_events WHERE subject LIKE :t").param("t", "%" + token + "%")
                .query(Long.class).single()).isZero();
    }

    @Test
    void badInputInTheCreateFormIsShownInPlaceNamingTheField() throws Exception {
        mvc.perform(post("/stations").with(admin()).with(csrf()).param("name", newName()).param("quotaPerMinute", "10"))
                .andExpect(status().isOk())
                .andExpect(view().name(StationPageController.VIEW))
                .andExpect(content().string(containsString("allowedTemplates must list at least one template")));
        mvc.perform(post("/stations").with(admin()).with(csrf()).param("name", newName())
                        .param("allowedTemplates", "demo-sensor").param("quotaPerMinute", "lots"))
                .andExpect(content().string(containsString("quotaPerMinute must be a whole number from 1 to")));
        mvc.perform(post("/stations").with(admin()).with(csrf()).param("name", newName())
                        .param("allowedTemplates", "demo-sensor").param("quotaPerMinute", "10")
                        .param("transportPublicKey", "not a key"))
                .andExpect(content().string(containsString("transportPublicKey")))
                .andExpect(content().string(not(containsString("id=\"station-token\""))));
    }

    @Test
    void transportKeyGivenAsPemIsStoredAndShownAsItsFingerprint() throws Exception {
        byte[] spki = newP256Spki();
        String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(spki)
                + "\n-----END PUBLIC KEY-----\n";
        String name = newName();
        String token = token(mvc.perform(post("/stations").with(admin()).with(csrf()).param("name", name)
                        .param("allowedTemplates", "demo-sensor").param("quotaPerMinute", "60")
                        .param("transportPublicKey", pem))
                .andReturn().getResponse().getContentAsString());
        assertThat(stations.authenticate(token).orElseThrow().transportKey()).isEqualTo(spki);
        mvc.perform(get("/stations").with(admin()))
                .andExpect(content().string(containsString(HexFormat.ofDelimiter(":")
                        .formatHex(Sha256.digest(spki)))));
    }

    @Test
    void adminChangesQuotaTemplatesAndTransportKeyThenRemovesTheKey() throws Exception {
        String token = create();
        long id = stations.authenticate(token).orElseThrow().id();
        byte[] spki = newP256Spki();
        mvc.perform(post("/stations/" + id).with(admin()).with(csrf()).param("allowedTemplates", "demo-rpk")
                        .param("quotaPerMinute", "7").param("transportPublicKey", Base64.getEncoder().encodeToString(spki)))
                .andExpect(redirectedUrl("/stations"))
                .andExpect(flash().attribute("notice", containsString("was updated")));
        var station = stations.get(id);
        assertThat(station.quotaPerMinute()).isEqualTo(7);
        assertThat(station.allowedTemplates()).containsExactly("demo-rpk");
        assertThat(station.transportKey()).isEqualTo(spki);

        mvc.perform(post("/stations/" + id).with(admin()).with(csrf()).param("allowedTemplates", "demo-rpk")
                        .param("quotaPerMinute", "7").param("removeTransportKey", "true"))
                .andExpect(redirectedUrl("/stations"));
        assertThat(stations.get(id).transportKey()).isNull();

        mvc.perform(post("/stations/" + id).with(admin()).with(csrf()).param("quotaPerMinute", "0"))
                .andExpect(flash().attribute("problem", containsString("allowedTemplates must list at least one")));
        assertThat(stations.get(id).quotaPerMinute()).isEqualTo(7);
    }

    @Test
    void disablingAStationRefusesItsTokenUntilItIsEnabledAgain() throws Exception {
        String token = create();
        long id = stations.authenticate(token).orElseThrow().id();
        mvc.perform(post("/stations/" + id + "/enabled").with(admin()).with(csrf()).param("enabled", "false"))
                .andExpect(redirectedUrl("/stations"))
                .andExpect(flash().attribute("notice", containsString("was disabled")));
        assertThat(stations.authenticate(token)).isEmpty();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_events WHERE action = 'station.disabled' AND subject LIKE :s")
                .param("s", "station:" + id + ":%").query(Long.class).single()).isEqualTo(1);
        mvc.perform(post("/stations/" + id + "/enabled").with(admin()).with(csrf()).param("enabled", "true"))
                .andExpect(flash().attribute("notice", containsString("was enabled")));
        assertThat(stations.authenticate(token)).isPresent();
    }

    @Test
    void aNewTokenIsShownOnceAndTheOldOneStopsWorking() throws Exception {
        String old = create();
        long id = stations.authenticate(old).orElseThrow().id();
        String fresh = token(mvc.perform(post("/stations/" + id + "/token").with(admin()).with(csrf()))
                .andExpect(header().string("Cache-Control", containsString("no-store")))
                .andExpect(content().string(containsString("the old one no longer works")))
                .andReturn().getResponse().getContentAsString());
        assertThat(fresh).isNotEqualTo(old);
        assertThat(stations.authenticate(old)).isEmpty();
        assertThat(stations.authenticate(fresh)).get().extracting(s -> s.id()).isEqualTo(id);
    }

    @Test
    void onlyAdminsManageStationsAndFormsNeedTheCsrfToken() throws Exception {
        mvc.perform(get("/stations").with(operator())).andExpect(status().isForbidden());
        mvc.perform(post("/stations").with(operator()).with(csrf()).param("name", newName())
                .param("allowedTemplates", "demo-sensor").param("quotaPerMinute", "5")).andExpect(status().isForbidden());
        String name = newName();
        mvc.perform(post("/stations").with(admin()).param("name", name)
                .param("allowedTemplates", "demo-sensor").param("quotaPerMinute", "5")).andExpect(status().isForbidden());
        assertThat(stations.list()).noneMatch(s -> s.name().equals(name));
    }

    private String create() throws Exception {
        return token(mvc.perform(post("/stations").with(admin()).with(csrf()).param("name", newName())
                        .param("allowedTemplates", "demo-sensor").param("quotaPerMinute", "60"))
                .andExpect(view().name(StationPageController.VIEW_TOKEN))
                .andReturn().getResponse().getContentAsString());
    }

    private static String token(String page) {
        Matcher m = TOKEN.matcher(page);
        assertThat(m.find()).as("the page shows the token").isTrue();
        return m.group(1);
    }

    private static String newName() {
        return "page-line-" + ProcessHandle.current().pid() + "-" + NEXT.incrementAndGet();
    }

    private static byte[] newP256Spki() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair().getPublic().getEncoded();
    }
}
