package dev.fleetkey.service.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class KeysPropertiesTest {

    @TempDir
    Path dir;

    private static KeysProperties bind(Map<String, String> settings) {
        return new Binder(new MapConfigurationPropertySource(settings)).bindOrCreate("fleetkey.keys", KeysProperties.class);
    }

    @Test
    void withoutSettingsTheKeysStayInThePkcs12FileAsBefore() {
        KeysProperties keys = bind(Map.of());

        assertThat(keys.provider()).isEqualTo(KeysProperties.Provider.PKCS12);
        assertThat(keys.pkcs11().pinVariable()).isEqualTo("FLEETKEY_PKCS11_PIN");
    }

    @Test
    void aTokenIsNamedByItsModuleAndSlotAndItsPinVariable() throws Exception {
        Path module = Files.createFile(dir.resolve("libtoken.so"));

        KeysProperties keys = bind(Map.of("fleetkey.keys.provider", "pkcs11", "fleetkey.keys.pkcs11.library",
                module.toString(), "fleetkey.keys.pkcs11.slot", "1649752043",
                "fleetkey.keys.pkcs11.pin-variable", "LINE_HSM_PIN"));

        assertThat(keys.provider()).isEqualTo(KeysProperties.Provider.PKCS11);
        assertThat(keys.pkcs11().slotSetting()).isEqualTo("slot = 1649752043");
        assertThat(keys.pkcs11().pinVariable()).isEqualTo("LINE_HSM_PIN");
        assertThat(Pkcs11KeyVault.configuration(keys.pkcs11(), "fleetkey-1"))
                .contains("library = \"" + module + "\"", "slot = 1649752043", "CKA_EXTRACTABLE = false")
                .doesNotContain("LINE_HSM_PIN");
        assertThat(bind(Map.of("fleetkey.keys.provider", "pkcs11", "fleetkey.keys.pkcs11.library", module.toString()))
                .pkcs11().slotSetting()).isEqualTo("slotListIndex = 0");
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "library       | (none)             | fleetkey.keys.pkcs11.library is not set",
        "library       | /no/such/module.so | fleetkey.keys.pkcs11.library is /no/such/module.so, which is not a readable file",
        "slot          | -1                 | must not be negative",
        "pin-variable  | PIN=1234           | fleetkey.keys.pkcs11.pin-variable is 'PIN=1234'"})
    void aBadTokenSettingIsRefusedAtStartUpNamingIt(String setting, String value, String message) throws Exception {
        Path module = Files.createFile(dir.resolve("libtoken.so"));
        Map<String, String> settings = new java.util.HashMap<>(Map.of("fleetkey.keys.provider", "pkcs11",
                "fleetkey.keys.pkcs11.library", module.toString()));
        if ("(none)".equals(value)) {
            settings.remove("fleetkey.keys.pkcs11." + setting);
        } else {
            settings.put("fleetkey.keys.pkcs11." + setting, value);
        }

        assertThatThrownBy(() -> bind(settings)).rootCause().hasMessageContaining(message);
    }

    @Test
    void slotAndSlotListIndexTogetherAreRefused() throws Exception {
        Path module = Files.createFile(dir.resolve("libtoken.so"));

        assertThatThrownBy(() -> bind(Map.of("fleetkey.keys.provider", "pkcs11", "fleetkey.keys.pkcs11.library",
                module.toString(), "fleetkey.keys.pkcs11.slot", "5", "fleetkey.keys.pkcs11.slot-list-index", "0")))
                .rootCause().hasMessageContaining("are both set: give one of them");
    }
}
