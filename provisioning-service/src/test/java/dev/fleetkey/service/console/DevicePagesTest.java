package dev.fleetkey.service.console;

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

import dev.fleetkey.service.TestService;
import dev.fleetkey.service.web.PageOf;
import dev.fleetkey.service.web.WebPageTestSupport;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Devices through the pages: provision from the form, search, the device page, revoke, and revealing a PSK. */
class DevicePagesTest extends WebPageTestSupport {

    @Test
    void operatorProvisionsFromTheFormAndLandsOnTheDevicePage() throws Exception {
        String eui = newEui64();
        mvc.perform(post("/devices").with(operator()).with(csrf())
                        .param("eui64", eui.replace("-", ":").toLowerCase()).param("template", "demo-sensor@1"))
                .andExpect(redirectedUrl("/devices/" + eui))
                .andExpect(flash().attribute("notice", containsString("was provisioned")));
        mvc.perform(get("/devices/" + eui).with(operator()))
                .andExpect(status().isOk())
                .andExpect(view().name(DevicePageController.VIEW_DEVICE))
                .andExpect(content().string(containsString("id=\"device-state\"")))
                .andExpect(content().string(containsString("PROVISIONED")))
                .andExpect(content().string(containsString("device.provisioned")))
                // each list panel: its heading, and the sentence for an empty list (lists :: listHeading)
                .andExpect(content().string(containsString("<h2>Check-ins</h2>")))
                .andExpect(content().string(containsString("No check-ins recorded for this device.")))
                // operators may not reveal keys: the form is not even offered
                .andExpect(content().string(not(containsString("id=\"reveal-form\""))));
    }

    @Test
    void aPastedEui64WithSpacesAroundItIsTidiedByTheFormThoughTheApiRefusesIt() throws Exception {
        String eui = newEui64();
        mvc.perform(post("/devices").with(operator()).with(csrf()).param("eui64", " " + eui + " ")
                        .param("template", "demo-sensor "))
                .andExpect(redirectedUrl("/devices/" + eui));
    }

    @Test
    void badEui64InTheProvisionFormIsShownInPlace() throws Exception {
        mvc.perform(post("/devices").with(admin()).with(csrf()).param("eui64", "not-an-eui").param("template", "demo-sensor"))
                .andExpect(status().isOk())
                .andExpect(view().name(DevicePageController.VIEW_LIST))
                .andExpect(content().string(containsString("id=\"provision-error\"")))
                .andExpect(content().string(containsString("value=\"not-an-eui\"")));
    }

    @Test
    void searchFindsADeviceByAnySpellingOfItsEui64AndByPskIdentity() throws Exception {
        String eui = provision();
        String compact = eui.replace("-", "").toLowerCase();
        mvc.perform(get("/devices").with(auditor()).param("eui64", compact))
                .andExpect(content().string(containsString(">" + eui + "</a>")))
                .andExpect(content().string(containsString("1 matching")));
        mvc.perform(get("/devices").with(auditor()).param("eui64", eui.substring(0, 17).replace("-", "")))
                .andExpect(content().string(containsString(">" + eui + "</a>")));

        byte[] identity = jdbc.sql("SELECT c.psk_identity FROM device_credentials c JOIN devices d ON d.id = c.device_id"
                + " WHERE d.eui64 = :e").param("e", eui).query(byte[].class).list().get(0);
        mvc.perform(get("/devices").with(auditor()).param("identity", HexFormat.of().withUpperCase().formatHex(identity)))
                .andExpect(content().string(containsString(">" + eui + "</a>")))
                .andExpect(content().string(containsString("1 matching")));
    }

    @Test
    void searchInputThatCannotMatchIsExplained() throws Exception {
        mvc.perform(get("/devices").with(admin()).param("eui64", "zz-top").param("identity", "abc"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("Give an EUI-64 such as")))
                .andExpect(content().string(containsString("Give the PSK identity as hex digits")));
    }

    @Test
    void searchPagesThroughManyDevices() throws Exception {
        for (int i = 0; i < PageOf.DEFAULT_SIZE + 1; i++) {
            provision();
        }
        String first = mvc.perform(get("/devices").with(admin()).param("template", "demo-sensor"))
                .andExpect(content().string(containsString("rel=\"next\""))).andReturn().getResponse().getContentAsString();
        String next = first.replaceAll("(?s).*rel=\"next\" href=\"([^\"]+)\".*", "$1").replace("&amp;", "&");
        assertThat(next).startsWith("/devices?template=demo-sensor&cursor=");
        mvc.perform(get(java.net.URI.create(next)).with(admin()))
                .andExpect(content().string(containsString("First page")));
    }

    @Test
    void searchReadsTheSameFiltersAsTheApiAndNamesTheOneAtFault() throws Exception {
        String eui = provision();
        mvc.perform(get("/devices").with(operator()).param("mode", "psk").param("revoked", "false")
                        .param("createdFrom", "2000-01-01").param("eui64", eui.substring(0, 8)))
                .andExpect(content().string(containsString(">" + eui + "</a>")));
        mvc.perform(get("/devices").with(operator()).param("mode", "x509").param("eui64", eui))
                .andExpect(content().string(containsString("id=\"no-devices\"")));
        mvc.perform(get("/devices").with(operator()).param("createdTo", "tomorrow"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("data-field=\"createdTo\"")))
                .andExpect(content().string(containsString("createdTo &#39;tomorrow&#39; is not a date")));
    }

    @Test
    void unknownDeviceGetsTheNotFoundPage() throws Exception {
        mvc.perform(get("/devices/00-00-00-FF-FE-00-00-99").with(admin()))
                .andExpect(status().isNotFound())
                .andExpect(content().string(containsString("No device 00-00-00-FF-FE-00-00-99 is provisioned.")));
    }

    @Test
    void revokeNeedsConfirmationThenRevokesEveryCredentialAndIsAudited() throws Exception {
        String eui = provision();
        mvc.perform(get("/devices/" + eui + "/revoke").with(operator()))
                .andExpect(content().string(containsString("Yes, revoke this device now")));
        mvc.perform(post("/devices/" + eui + "/revoke").with(operator()).with(csrf()).param("reason", "lost in transit"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("Tick the box to confirm")));
        assertThat(state(eui)).isEqualTo("PROVISIONED");

        mvc.perform(post("/devices/" + eui + "/revoke").with(operator()).with(csrf())
                        .param("reason", "lost in transit").param("confirm", "yes"))
                .andExpect(redirectedUrl("/devices/" + eui));
        assertThat(state(eui)).isEqualTo("REVOKED");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM device_credentials c JOIN devices d ON d.id = c.device_id"
                + " WHERE d.eui64 = :e AND c.revoked_at IS NULL").param("e", eui).query(Long.class).single()).isZero();
        assertThat(jdbc.sql("SELECT actor FROM audit_events WHERE action = 'device.revoked' AND subject LIKE :s")
                .param("s", "device:" + eui + "%lost in transit").query(String.class).single()).isEqualTo("olga");
        mvc.perform(get("/devices/" + eui).with(admin()))
                .andExpect(content().string(containsString("device.revoked")))
                .andExpect(content().string(not(containsString("id=\"revoke-link\""))));
    }

    @Test
    void revealingAPskNeedsTheAdminsPasswordAndIsAudited() throws Exception {
        String eui = provision();
        mvc.perform(post("/devices/" + eui + "/reveal").with(admin()).with(csrf()).param("password", "wrong-password"))
                .andExpect(redirectedUrl("/devices/" + eui))
                .andExpect(flash().attribute("problem", containsString("password was not right")));
        assertThat(audited("psk.reveal-refused", eui)).isEqualTo(1);

        String page = mvc.perform(post("/devices/" + eui + "/reveal").with(admin()).with(csrf())
                        .param("password", TestService.ADMIN_PASSWORD))
                .andExpect(status().isOk())
                .andExpect(header().string("Cache-Control", containsString("no-store")))
                .andExpect(view().name(PskRevealController.VIEW))
                .andReturn().getResponse().getContentAsString();
        assertThat(page).containsPattern("class=\"secret\">[0-9a-f]{32,128}<");
        assertThat(audited("psk.revealed", eui)).isEqualTo(1);
    }

    @Test
    void devicePageNeverShowsAKeyByDefault() throws Exception {
        String eui = provision();
        mvc.perform(get("/devices/" + eui).with(admin()))
                .andExpect(content().string(not(containsString("class=\"secret\""))))
                .andExpect(content().string(containsString("id=\"reveal-form\"")));
    }

    @Test
    void rotateFromTheDevicePageIssuesNewCredentialsAndKeepsTheOldOnesForTheChosenOverlap() throws Exception {
        String eui = provision();
        mvc.perform(get("/devices/" + eui).with(operator()))
                .andExpect(content().string(containsString("id=\"rotate-form\"")))
                .andExpect(content().string(containsString("name=\"overlapDays\"")))
                .andExpect(content().string(containsString("value=\"7\"")));
        mvc.perform(post("/devices/" + eui + "/rotate").with(operator()).with(csrf()).param("overlapDays", "3"))
                .andExpect(redirectedUrl("/devices/" + eui))
                .andExpect(flash().attribute("notice", containsString("has new credentials")));
        var rows = jdbc.sql("SELECT c.valid_until, c.created_at FROM device_credentials c JOIN devices d ON d.id = c.device_id"
                + " WHERE d.eui64 = :e ORDER BY c.id").param("e", eui)
                .query((rs, n) -> new java.time.OffsetDateTime[] {rs.getObject(1, java.time.OffsetDateTime.class),
                        rs.getObject(2, java.time.OffsetDateTime.class)}).list();
        assertThat(rows).hasSize(2);
        assertThat(rows.get(1)[0]).as("the new credential is the current one").isNull();
        assertThat(java.time.Duration.between(rows.get(1)[1], rows.get(0)[0]))
                .isBetween(java.time.Duration.ofDays(3).minusMinutes(1), java.time.Duration.ofDays(3).plusMinutes(1));
        assertThat(jdbc.sql("SELECT actor FROM audit_events WHERE action = 'device.rotated' AND subject LIKE :s")
                .param("s", "device:" + eui + " overlap:PT72H%").query(String.class).single()).isEqualTo("olga");
    }

    @Test
    void rotateWithoutAnOverlapUsesSevenDaysAndABadOverlapIsExplained() throws Exception {
        String eui = provision();
        mvc.perform(post("/devices/" + eui + "/rotate").with(operator()).with(csrf()).param("overlapDays", "-2"))
                .andExpect(redirectedUrl("/devices/" + eui))
                .andExpect(flash().attribute("problem", containsString("whole number of days from 0 to 365")));
        assertThat(audited("device.rotated", eui)).isZero();
        mvc.perform(post("/devices/" + eui + "/rotate").with(operator()).with(csrf()))
                .andExpect(flash().attribute("notice", containsString("7 more days")));
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_events WHERE action = 'device.rotated' AND subject LIKE :s")
                .param("s", "device:" + eui + " overlap:PT168H%").query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void revokeFromThePageRecordsTheReasonWithTheCredentials() throws Exception {
        String eui = provision();
        mvc.perform(post("/devices/" + eui + "/revoke").with(operator()).with(csrf())
                        .param("reason", "returned by customer").param("confirm", "yes"))
                .andExpect(redirectedUrl("/devices/" + eui));
        assertThat(jdbc.sql("SELECT c.revocation_reason FROM device_credentials c JOIN devices d ON d.id = c.device_id"
                + " WHERE d.eui64 = :e").param("e", eui).query(String.class).list()).containsOnly("returned by customer");
    }

    @Test
    void devicePageShowsCertificateSubjectSerialValidityAndKeyFingerprint() throws Exception {
        String eui = newEui64();
        mvc.perform(post("/devices").with(admin()).with(csrf()).param("eui64", eui).param("template", "demo-x509"))
                .andExpect(redirectedUrl("/devices/" + eui));
        var stored = jdbc.sql("SELECT c.certificate_serial, c.public_key_sha256 FROM device_credentials c"
                + " JOIN devices d ON d.id = c.device_id WHERE d.eui64 = :e AND c.mode = 'X509'").param("e", eui)
                .query((rs, n) -> new Object[] {rs.getString(1), rs.getBytes(2)}).single();
        String fingerprint = HexFormat.ofDelimiter(":").formatHex((byte[]) stored[1]);
        mvc.perform(get("/devices/" + eui).with(auditor()))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("CN=")))
                .andExpect(content().string(containsString(">" + stored[0] + "<")))
                .andExpect(content().string(containsString(fingerprint)))
                .andExpect(content().string(org.hamcrest.Matchers.matchesPattern(
                        "(?s).*\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}(:\\d{2})? – \\d{4}-\\d{2}-\\d{2}.*")));
    }

    @Test
    void devicePageShowsTheRawPublicKeyFingerprint() throws Exception {
        String eui = newEui64();
        mvc.perform(post("/devices").with(admin()).with(csrf()).param("eui64", eui).param("template", "demo-rpk"))
                .andExpect(redirectedUrl("/devices/" + eui));
        byte[] sha = jdbc.sql("SELECT c.public_key_sha256 FROM device_credentials c JOIN devices d ON d.id = c.device_id"
                + " WHERE d.eui64 = :e AND c.mode = 'RAW_PUBLIC_KEY'").param("e", eui).query(byte[].class).single();
        mvc.perform(get("/devices/" + eui).with(auditor()))
                .andExpect(content().string(containsString(HexFormat.ofDelimiter(":").formatHex(sha))));
    }

    private String provision() throws Exception {
        String eui = newEui64();
        mvc.perform(post("/devices").with(admin()).with(csrf()).param("eui64", eui).param("template", "demo-sensor"))
                .andExpect(redirectedUrl("/devices/" + eui));
        return eui;
    }

    private String state(String eui) {
        return jdbc.sql("SELECT state FROM devices WHERE eui64 = :e").param("e", eui).query(String.class).single();
    }

    private long audited(String action, String eui) {
        return jdbc.sql("SELECT COUNT(*) FROM audit_events WHERE action = :a AND subject LIKE :s")
                .param("a", action).param("s", "device:" + eui + "%").query(Long.class).single();
    }
}
