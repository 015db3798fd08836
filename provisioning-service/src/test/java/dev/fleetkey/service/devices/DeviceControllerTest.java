package dev.fleetkey.service.devices;

import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.fleetkey.service.TestService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/** Request validation and problem details of {@code /api/v1/devices}, over the real service with MockMvc. */
@SpringBootTest
@AutoConfigureMockMvc
class DeviceControllerTest {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestService.register(registry, TestService.newDataDir());
    }

    @Autowired
    MockMvc mvc;

    private static MockHttpServletRequestBuilder provision(String body) {
        return post("/api/v1/devices").with(httpBasic("admin", TestService.ADMIN_PASSWORD))
                .contentType(MediaType.APPLICATION_JSON).content(body);
    }

    @ParameterizedTest
    @ValueSource(strings = {"00-11-22-FF-FE-33-44", "00-11-22-FF-FE-33-44-5G", "00:11-22:FF:FE:33:44:55", "", "zz"})
    void invalidEui64IsRejectedNamingTheField(String eui64) throws Exception {
        mvc.perform(provision("{\"eui64\":\"" + eui64 + "\",\"template\":\"demo-sensor\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.field").value("eui64"))
                .andExpect(jsonPath("$.type").value("urn:fleetkey:problem:invalid-field"))
                .andExpect(jsonPath("$.detail").value(containsString("00-11-22-FF-FE-33-44-55")));
    }

    @Test
    void missingEui64IsRejectedNamingTheField() throws Exception {
        mvc.perform(provision("{\"template\":\"demo-sensor\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.field").value("eui64"))
                .andExpect(jsonPath("$.detail").value(containsString("missing")));
    }

    @Test
    void unknownTemplateIsRejectedListingTheKnownOnes() throws Exception {
        mvc.perform(provision("{\"eui64\":\"00-11-22-FF-FE-00-00-01\",\"template\":\"no-such-template\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.field").value("template"))
                .andExpect(jsonPath("$.detail").value(containsString("demo-sensor@1")));
    }

    @Test
    void unknownTemplateVersionIsRejected() throws Exception {
        mvc.perform(provision("{\"eui64\":\"00-11-22-FF-FE-00-00-02\",\"template\":\"demo-sensor@7\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.field").value("template"));
    }

    @Test
    void missingTemplateIsRejectedNamingTheField() throws Exception {
        mvc.perform(provision("{\"eui64\":\"00-11-22-FF-FE-00-00-03\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.field").value("template"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"eui64\":", "not json", "[1,2]", "{\"eui64\": {\"a\": 1}, \"template\": \"demo-sensor\"}"})
    void malformedBodyIsA400ProblemNeverA500(String body) throws Exception {
        mvc.perform(provision(body))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.status").value(400));
    }

    @Test
    void wrongTypedFieldIsNamed() throws Exception {
        mvc.perform(provision("{\"eui64\": [\"00\"], \"template\": \"demo-sensor\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.field").value("eui64"));
    }

    @Test
    void emptyBodyIsA400Problem() throws Exception {
        mvc.perform(provision(""))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON));
    }

    @Test
    void wrongContentTypeIsA415Problem() throws Exception {
        mvc.perform(post("/api/v1/devices").with(httpBasic("admin", TestService.ADMIN_PASSWORD))
                        .contentType(MediaType.TEXT_PLAIN).content("eui64=1"))
                .andExpect(status().isUnsupportedMediaType())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON));
    }

    @Test
    void unknownDeviceIsA404Problem() throws Exception {
        mvc.perform(get("/api/v1/devices/00:11:22:ff:fe:99:99:99").with(httpBasic("admin", TestService.ADMIN_PASSWORD)))
                .andExpect(status().isNotFound())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail").value("No device 00-11-22-FF-FE-99-99-99 is provisioned"));
    }

    @Test
    void invalidEui64InThePathIsA400NamingIt() throws Exception {
        mvc.perform(get("/api/v1/devices/not-an-eui/bundle").with(httpBasic("admin", TestService.ADMIN_PASSWORD)))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.field").value("eui64"));
    }

    @Test
    void callWithoutCredentialsIsA401Problem() throws Exception {
        mvc.perform(post("/api/v1/devices").contentType(MediaType.APPLICATION_JSON).content("{}"))
                .andExpect(status().isUnauthorized())
                .andExpect(header().string("WWW-Authenticate", containsString("Basic")))
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("urn:fleetkey:problem:unauthenticated"));
    }

    @Test
    void wrongPasswordIsA401Problem() throws Exception {
        mvc.perform(get("/api/v1/devices/00-11-22-FF-FE-33-44-55").with(httpBasic("admin", "wrong-password")))
                .andExpect(status().isUnauthorized())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON));
    }

    @Test
    void unknownApiPathIsA404Problem() throws Exception {
        mvc.perform(get("/api/v1/nothing-here").with(httpBasic("admin", TestService.ADMIN_PASSWORD)))
                .andExpect(status().isNotFound())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON));
    }

    @Test
    void bundleSignerCertificateIsPublic() throws Exception {
        mvc.perform(get("/api/v1/trust/bundle-signer.pem"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("-----BEGIN CERTIFICATE-----")));
    }

    @Test
    void aUsersPlainProvisioningRequestAskingForTheBundleIsRefusedBeforeAnythingIsProvisioned() throws Exception {
        mvc.perform(provision("{\"eui64\":\"00-11-22-FF-FE-00-0E-01\",\"template\":\"demo-sensor\"}")
                        .accept(MediaType.parseMediaType("application/vnd.fleetkey.bundle+cms")))
                .andExpect(status().isNotAcceptable());

        mvc.perform(get("/api/v1/devices/00-11-22-FF-FE-00-0E-01").with(httpBasic("admin", TestService.ADMIN_PASSWORD)))
                .andExpect(status().isNotFound());
    }
}
