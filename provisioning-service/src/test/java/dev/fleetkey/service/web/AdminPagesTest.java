package dev.fleetkey.service.web;

import dev.fleetkey.service.pki.CertificateAuthorities;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.fleetkey.service.audit.AuditChain;
import dev.fleetkey.service.audit.AuditCheckpoints;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Users, templates, CAs, bundles and the audit log pages. */
class AdminPagesTest extends WebPageTestSupport {

    @Autowired
    AuditChain chain;

    @Autowired
    CertificateAuthorities authorities;

    @Autowired
    AuditCheckpoints checkpoints;

    @Test
    void auditPageSaysWhatTheCheckProvesAndShowsTheNewestCheckpoint() throws Exception {
        chain.append("admin", "user.logout", "user:admin", null);
        long number = checkpoints.create().orElseThrow().checkpoint().checkpoint();
        mvc.perform(get("/audit/verify").with(auditor()))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("The chain is intact")))
                .andExpect(content().string(containsString("Someone holding the key store")))
                .andExpect(content().string(containsString("Newest signed checkpoint: number " + number)));
        mvc.perform(get("/audit/checkpoints.pem").with(auditor()))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("-----BEGIN CMS-----")));
    }

    @Test
    void adminCreatesAnOperatorWhoCanLogIn() throws Exception {
        mvc.perform(post("/users").with(admin()).with(csrf())
                        .param("username", "oscar").param("password", "oscar-password-1").param("role", "OPERATOR"))
                .andExpect(redirectedUrl("/users"))
                .andExpect(flash().attribute("notice", "User oscar was created."));
        mvc.perform(formLogin("/login").user("oscar").password("oscar-password-1")).andExpect(redirectedUrl("/"));
        assertThat(jdbc.sql("SELECT password_hash FROM users WHERE username = 'oscar'").query(String.class).single())
                .startsWith("{argon2@SpringSecurity_v5_8}");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_events WHERE action = 'user.created' AND subject = 'user:oscar role:OPERATOR'")
                .query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void shortPasswordIsRefusedInPlaceAndTheNameKept() throws Exception {
        mvc.perform(post("/users").with(admin()).with(csrf())
                        .param("username", "shorty").param("password", "short").param("role", "AUDITOR"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("Use at least 12 characters")))
                .andExpect(content().string(containsString("value=\"shorty\"")));
    }

    @Test
    void theLastAdminCannotBeDemoted() throws Exception {
        mvc.perform(post("/users/admin").with(admin()).with(csrf()).param("role", "AUDITOR").param("enabled", "true"))
                .andExpect(redirectedUrl("/users"))
                .andExpect(flash().attribute("problem", containsString("last enabled admin")));
    }

    @Test
    void templateEditorShowsTheParserMessageNextToTheText() throws Exception {
        String bad = Files.readString(Path.of("..", "templates", "demo-sensor.yaml"))
                .replace("version: 1", "version: 7").replace("coaps://localhost:5684", "http://localhost");
        mvc.perform(post("/templates/editor").with(admin()).with(csrf()).param("yaml", bad).param("action", "validate"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("id=\"template-error\"")))
                .andExpect(content().string(containsString("servers[0].uri")));
    }

    @Test
    void templateEditorRefusesToSaveAnInvalidTemplateNamingFieldAndLine() throws Exception {
        String bad = Files.readString(Path.of("..", "templates", "demo-sensor.yaml"))
                .replace("version: 1", "version: 8").replace("key-length: 16", "key-length: 8");
        mvc.perform(post("/templates/editor").with(admin()).with(csrf()).param("yaml", bad).param("action", "save"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("<strong>servers[0].psk.key-length</strong>")))
                .andExpect(content().string(containsString("<span id=\"template-error-line\"> (line 11)</span>")))
                .andExpect(content().string(containsString("must be a whole number from 16 to 64 (got 8)")))
                .andExpect(content().string(containsString("key-length: 8        # bytes, 16..64</pre>")));
        assertThat(jdbc.sql("SELECT COUNT(*) FROM template_versions WHERE template_id = 'demo-sensor' AND template_version = 8")
                .query(Long.class).single()).isZero();
    }

    @Test
    void templateEditorSavesANewVersionThatIsListedAndAudited() throws Exception {
        String yaml = Files.readString(Path.of("..", "templates", "demo-sensor.yaml")).replace("version: 1", "version: 42");
        mvc.perform(post("/templates/editor").with(admin()).with(csrf()).param("yaml", yaml).param("action", "validate"))
                .andExpect(content().string(containsString("demo-sensor@42 is valid")));
        mvc.perform(post("/templates/editor").with(admin()).with(csrf()).param("yaml", yaml).param("action", "save"))
                .andExpect(redirectedUrl("/templates/demo-sensor/42"));
        mvc.perform(get("/templates").with(operator()))
                .andExpect(content().string(containsString("demo-sensor@42")));
        mvc.perform(get("/templates/demo-sensor/42").with(operator()))
                .andExpect(content().string(containsString("saved by admin")));
        mvc.perform(post("/templates/editor").with(admin()).with(csrf()).param("yaml", yaml).param("action", "save"))
                .andExpect(content().string(containsString("demo-sensor has version 42 already; give this one version 43 or higher")));
    }

    @Test
    void fileTemplatesAreShownReadOnly() throws Exception {
        mvc.perform(get("/templates/demo-sensor/1").with(admin()))
                .andExpect(content().string(containsString("read-only")))
                .andExpect(content().string(containsString("reprovision-policy: fail")));
    }

    @Test
    void caPageListsEachKeyWithItsAliasAndPublicKeyFingerprint() throws Exception {
        X509Certificate deviceCa = authorities.deviceCa().certificate();
        String fingerprint = java.util.HexFormat.ofDelimiter(":").withUpperCase()
                .formatHex(dev.fleetkey.bundle.Sha256.digest(deviceCa.getPublicKey().getEncoded()));
        mvc.perform(get("/cas").with(auditor()))
                .andExpect(content().string(containsString("id=\"key-table\"")))
                .andExpect(content().string(containsString("Key store: <code>pkcs12 (")))
                .andExpect(content().string(containsString(CertificateAuthorities.DEVICE_CA_ALIAS)))
                .andExpect(content().string(containsString(CertificateAuthorities.BUNDLE_SIGNER_ALIAS)))
                .andExpect(content().string(containsString(fingerprint)));
    }

    @Test
    void caPageListsTheChainAndCertificatesDownloadAsPem() throws Exception {
        mvc.perform(get("/cas").with(auditor()))
                .andExpect(content().string(containsString("root-ca")))
                .andExpect(content().string(containsString("bundle-signer")))
                .andExpect(content().string(org.hamcrest.Matchers.not(containsString("id=\"server-credential-form\""))));
        byte[] pem = mvc.perform(get("/cas/device-ca.pem").with(auditor()))
                .andExpect(status().isOk())
                .andReturn().getResponse().getContentAsByteArray();
        X509Certificate ca = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem));
        assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void adminIssuesServerCredentialsAsAnAuditedDownload() throws Exception {
        String pem = mvc.perform(post("/cas/server-credentials").with(admin()).with(csrf())
                        .param("fqdn", "coap.example.com").param("mode", "x509").param("validityDays", "90"))
                .andExpect(status().isOk())
                .andExpect(header().string("Content-Disposition", containsString("coap.example.com.pem")))
                .andReturn().getResponse().getContentAsString();
        assertThat(pem).contains("BEGIN CERTIFICATE").contains("PRIVATE KEY");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_events WHERE action = 'server-credential.issued'"
                + " AND subject LIKE 'server:coap.example.com mode:x509%'").query(Long.class).single()).isEqualTo(1);
        mvc.perform(post("/cas/server-credentials").with(admin()).with(csrf()).param("fqdn", "not a name").param("mode", "x509"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("Give the server&#39;s DNS name")));
    }

    @Test
    void bundleDownloadFromThePagesIsListedAfterwards() throws Exception {
        String eui = newEui64();
        mvc.perform(post("/devices").with(admin()).with(csrf()).param("eui64", eui).param("template", "demo-sensor"));
        mvc.perform(post("/bundles/" + eui + "/download").with(operator()).with(csrf()))
                .andExpect(status().isOk())
                .andExpect(header().string("Content-Type", "application/vnd.fleetkey.bundle+cms"));
        mvc.perform(get("/bundles").with(auditor()))
                .andExpect(content().string(containsString(">" + eui + "</a>")));
    }

    @Test
    void auditLogFiltersByActorAndActionAndExplainsBadInput() throws Exception {
        String eui = newEui64();
        mvc.perform(post("/devices").with(operator()).with(csrf()).param("eui64", eui).param("template", "demo-sensor"));
        mvc.perform(get("/audit").with(auditor()).param("actor", "olga").param("action", "device.provisioned")
                        .param("device", eui.replace("-", "")))
                .andExpect(content().string(containsString("device:" + eui)))
                .andExpect(content().string(containsString("1-1 of 1")));
        mvc.perform(get("/audit").with(auditor()).param("from", "yesterday"))
                .andExpect(content().string(containsString("Give a time as")));
    }
}
