package dev.fleetkey.service.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PublicBaseUrlPropertiesTest {

    @Test
    void theCrlUrlIsTheCrlPathUnderTheBaseUrlWithoutADoubleSlash() {
        assertThat(new PublicBaseUrlProperties(URI.create("https://fleetkey.example.com/")).crlUrl("device"))
                .contains(URI.create("https://fleetkey.example.com/api/v1/pki/cas/device/crl"));
        assertThat(new PublicBaseUrlProperties(URI.create("http://10.0.0.7:8080/fleetkey")).crlUrl("device"))
                .contains(URI.create("http://10.0.0.7:8080/fleetkey/api/v1/pki/cas/device/crl"));
    }

    @Test
    void withoutABaseUrlThereIsNoCrlUrl() {
        assertThat(new PublicBaseUrlProperties(null).crlUrl("device")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://fleetkey.example.com", "fleetkey.example.com", "https://fleetkey.example.com/?a=1",
            "https://user@fleetkey.example.com", "https://fleetkey.example.com/#top"})
    void aBaseUrlThatIsNotAPlainHttpUrlIsRefusedNamingTheSetting(String url) {
        assertThatThrownBy(() -> new PublicBaseUrlProperties(URI.create(url)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fleetkey.public-base-url is '" + url + "'");
    }
}
