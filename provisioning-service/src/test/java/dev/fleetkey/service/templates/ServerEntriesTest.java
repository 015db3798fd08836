package dev.fleetkey.service.templates;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetkey.bundle.CipherSuite;
import dev.fleetkey.bundle.CredentialMode;
import dev.fleetkey.bundle.ServerCredentials;
import dev.fleetkey.bundle.ServerEntry;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ServerEntriesTest {

    private static final ServerEntries.Credentials EMPTY = new ServerEntries.Credentials() {
        @Override
        public ServerCredentials.Psk psk(DeviceTemplate.Server server) {
            return new ServerCredentials.Psk(null, null);
        }

        @Override
        public ServerCredentials.RawPublicKey rawPublicKey(DeviceTemplate.Server server) {
            return new ServerCredentials.RawPublicKey(null, null, List.of(), List.of());
        }

        @Override
        public ServerCredentials.Certificates certificates(DeviceTemplate.Server server) {
            return new ServerCredentials.Certificates(null, List.of(), List.of());
        }
    };

    @ParameterizedTest
    @CsvSource({
            "PSK,  PSK,            TLS_PSK_WITH_AES_128_CCM_8,         Psk",
            "RPK,  RAW_PUBLIC_KEY, TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8, RawPublicKey",
            "X509, X509,           TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8, Certificates"})
    void aTemplateServerBecomesAnEntryWithTheModeSuiteAndCredentialsOfItsMode(DeviceTemplate.Mode mode,
            CredentialMode credentialMode, CipherSuite suite, String credentialType) {
        DeviceTemplate.Server server = new DeviceTemplate.Server("lwm2m", URI.create("coaps://lwm2m.example.com:5684"),
                "lwm2m.example.com", mode, null);

        ServerEntry entry = ServerEntries.of(server, EMPTY);

        assertThat(entry.name()).isEqualTo("lwm2m");
        assertThat(entry.host()).isEqualTo("lwm2m.example.com");
        assertThat(entry.mode()).isEqualTo(credentialMode);
        assertThat(entry.cipherSuites()).containsExactly(suite);
        assertThat(entry.credentials().getClass().getSimpleName()).isEqualTo(credentialType);
    }
}
