package dev.fleetkey.service.firmware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.forwardedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.view;

import dev.fleetkey.bundle.BundleSigner;
import dev.fleetkey.bundle.BundleVerifier;
import dev.fleetkey.bundle.Sha256;
import dev.fleetkey.bundle.update.UpdateExpectations;
import dev.fleetkey.bundle.update.UpdatePackageVerifier;
import dev.fleetkey.bundle.update.VerifiedPackage;
import dev.fleetkey.service.firmware.FirmwarePackages;
import dev.fleetkey.service.web.WebAccessRules;
import dev.fleetkey.service.web.WebPageTestSupport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.web.servlet.request.MockMultipartHttpServletRequestBuilder;

/** Firmware packages through the admin pages: list, manifest, download for every role; releasing for ADMIN only. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FirmwarePagesTest extends WebPageTestSupport {

    private static final AtomicInteger NEXT = new AtomicInteger(1);

    @Autowired
    FirmwarePackages packages;

    @Autowired
    BundleSigner signer;

    @Test
    @Order(1)
    void emptyListSaysHowToMakeAPackage() throws Exception {
        assertThat(packages.list()).as("no other test in this shared service releases firmware before this one").isEmpty();
        mvc.perform(get("/firmware").with(admin()))
                .andExpect(status().isOk())
                .andExpect(view().name(FirmwarePageController.VIEW_LIST))
                .andExpect(content().string(containsString("id=\"no-packages\"")))
                .andExpect(content().string(containsString("fleetkey-device release package")))
                .andExpect(content().string(containsString("id=\"release-form\"")));
    }

    @Test
    @Order(2)
    void adminReleasesAnImageAndGetsAListedDownloadablePackage() throws Exception {
        String version = newVersion();
        byte[] image = ("firmware image " + version).getBytes(StandardCharsets.UTF_8);
        String location = mvc.perform(release(version, "rev-web", image).with(admin()).with(csrf()))
                .andExpect(status().is3xxRedirection())
                .andExpect(flash().attribute("notice", containsString("Packaged firmware " + version)))
                .andReturn().getResponse().getRedirectedUrl();
        FirmwarePackages.PackageView p = packages.list().stream()
                .filter(v -> v.firmwareVersion().equals(version)).findFirst().orElseThrow();
        assertThat(location).isEqualTo("/firmware/" + p.id());
        assertThat(p.productLine()).isEqualTo("demo-sensor");
        assertThat(p.hardwareClass()).isEqualTo("rev-web");
        assertThat(p.createdBy()).isEqualTo("admin");
        String imageSha = Sha256.hex(image);
        assertThat(p.components()).anySatisfy(c -> {
            assertThat(c.sha256()).isEqualTo(imageSha);
            assertThat(c.size()).isEqualTo(image.length);
        });

        mvc.perform(get("/firmware").with(admin()))
                .andExpect(content().string(not(containsString("id=\"no-packages\""))))
                .andExpect(content().string(containsString("id=\"package-" + p.id() + "\"")))
                .andExpect(content().string(containsString(">" + version + "<")))
                .andExpect(content().string(containsString(">rev-web<")))
                .andExpect(content().string(containsString(p.sha256().substring(0, 16))));
        mvc.perform(get(location).with(admin()))
                .andExpect(status().isOk())
                .andExpect(view().name(FirmwarePageController.VIEW_PACKAGE))
                .andExpect(content().string(containsString(imageSha)))
                .andExpect(content().string(containsString(p.sha256())))
                .andExpect(content().string(containsString("id=\"sequence\">" + p.sequence() + "<")));

        byte[] downloaded = mvc.perform(get(location + "/download").with(admin()))
                .andExpect(status().isOk())
                .andExpect(header().string("Content-Disposition",
                        containsString("demo-sensor-" + version + "-rev-web.fkpkg")))
                .andReturn().getResponse().getContentAsByteArray();
        assertThat(downloaded).isEqualTo(packages.download(p.id()));
        VerifiedPackage verified = new UpdatePackageVerifier(BundleVerifier.builder().trustAnchor(signer.certificate()).build())
                .verify(downloaded, new UpdateExpectations("demo-sensor", "rev-web", p.sequence() - 1, Instant.now(),
                        Duration.ofMinutes(5)));
        assertThat(verified.image()).isEqualTo(image);
        assertThat(verified.manifest().firmwareVersion()).isEqualTo(version);
        assertThat(Sha256.hex(downloaded)).isEqualTo(p.sha256());
        assertThat(jdbc.sql("SELECT actor FROM audit_events WHERE action = 'firmware.packaged' AND subject LIKE :s")
                .param("s", "%" + version + "-rev-web%").query(String.class).single()).isEqualTo("admin");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_events WHERE action = 'firmware.downloaded' AND subject LIKE :s")
                .param("s", "%" + version + "-rev-web%").query(Long.class).single()).isEqualTo(1L);
    }

    @Test
    @Order(3)
    void badFirmwareVersionIsShownInPlaceNamingTheField() throws Exception {
        mvc.perform(release("not a version!", "rev-web", new byte[] {1, 2, 3}).with(admin()).with(csrf()))
                .andExpect(status().isOk())
                .andExpect(view().name(FirmwarePageController.VIEW_LIST))
                .andExpect(content().string(containsString("id=\"release-error\"")))
                .andExpect(content().string(containsString("firmwareVersion must be 1-64 letters")))
                .andExpect(content().string(containsString("value=\"not a version!\"")))
                .andExpect(content().string(not(containsString("Exception"))));
    }

    @Test
    @Order(4)
    void sameVersionWithAnotherImageIsAConflictShownInPlace() throws Exception {
        String version = newVersion();
        mvc.perform(release(version, "rev-web", "one".getBytes(StandardCharsets.UTF_8)).with(admin()).with(csrf()))
                .andExpect(status().is3xxRedirection());
        mvc.perform(release(version, "rev-web", "two".getBytes(StandardCharsets.UTF_8)).with(admin()).with(csrf()))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("id=\"release-error\"")))
                .andExpect(content().string(containsString("give the new build a new version")));
    }

    @Test
    @Order(5)
    void operatorSeesNoFormAndItsReleaseIsRefused() throws Exception {
        mvc.perform(get("/firmware").with(operator()))
                .andExpect(status().isOk())
                .andExpect(content().string(not(containsString("id=\"release-form\""))));
        String version = newVersion();
        mvc.perform(release(version, "rev-web", new byte[] {9}).with(operator()).with(csrf()))
                .andExpect(status().isForbidden())
                .andExpect(forwardedUrl(WebAccessRules.DENIED_PAGE));
        assertThat(packages.list()).noneMatch(p -> p.firmwareVersion().equals(version));
    }

    @Test
    @Order(6)
    void auditorViewsAndDownloadsButCannotRelease() throws Exception {
        FirmwarePackages.PackageView p = packages.release("demo-sensor@1", "rev-aud", newVersion(), new byte[] {7, 7})
                .pkg();
        mvc.perform(get("/firmware").with(auditor()))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("id=\"package-" + p.id() + "\"")))
                .andExpect(content().string(not(containsString("id=\"release-form\""))));
        mvc.perform(get("/firmware/" + p.id()).with(auditor())).andExpect(status().isOk());
        assertThat(mvc.perform(get("/firmware/" + p.id() + "/download").with(auditor()))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsByteArray())
                .isEqualTo(packages.download(p.id()));
        mvc.perform(release(newVersion(), "rev-aud", new byte[] {1}).with(auditor()).with(csrf()))
                .andExpect(status().isForbidden());
    }

    @Test
    @Order(7)
    void loggedOutUserIsSentToLoginAndUnknownPackageIsA404Page() throws Exception {
        mvc.perform(get("/firmware")).andExpect(redirectedUrl("/login"));
        mvc.perform(get("/firmware/1/download")).andExpect(redirectedUrl("/login"));
        mvc.perform(get("/firmware/999999").with(admin()))
                .andExpect(status().isNotFound())
                .andExpect(content().string(containsString("There is no firmware package 999999.")));
    }

    private static MockMultipartHttpServletRequestBuilder release(String version, String hardwareClass, byte[] image) {
        MockMultipartHttpServletRequestBuilder request = multipart("/firmware")
                .file(new MockMultipartFile("image", "firmware.bin", "application/octet-stream", image));
        request.param("template", "demo-sensor@1").param("hardwareClass", hardwareClass).param("firmwareVersion", version);
        return request;
    }

    private static String newVersion() {
        return "1.0." + NEXT.getAndIncrement() + "-" + Long.toString(System.nanoTime() % 100000);
    }
}
