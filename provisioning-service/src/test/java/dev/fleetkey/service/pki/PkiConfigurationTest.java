package dev.fleetkey.service.pki;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.core.env.MapPropertySource;

import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.service.credentials.CredentialsConfiguration;
import dev.fleetkey.service.credentials.DeviceCredentialIssuer;
import dev.fleetkey.service.credentials.PskIdentityScheme;
import dev.fleetkey.service.credentials.PskIssuer;
import dev.fleetkey.service.system.ServiceSecrets;

class PkiConfigurationTest {

    @TempDir
    Path dataDir;

    private AnnotationConfigApplicationContext start(String passphrase) {
        AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("test", Map.of(
                "fleetkey.data-dir", dataDir.toString(), "FLEETKEY_KEYSTORE_PASSWORD", passphrase)));
        context.register(ServiceSecrets.class, PkiConfiguration.class, CredentialsConfiguration.class);
        context.refresh();
        return context;
    }

    @Test
    void theBeansIssueCredentialsAndASecondStartReusesTheKeystore() {
        String root;
        try (AnnotationConfigApplicationContext context = start("configured passphrase")) {
            root = context.getBean(CertificateAuthorities.class).rootCertificate().getSubjectX500Principal().getName();
            assertThat(context.getBean(DeviceCredentialIssuer.class)
                    .issueClientCertificate(Eui64.parse("001122fffe334455"), Duration.ofDays(1)).leaf()).isNotNull();
            assertThat(context.getBean(ServerCredentialIssuer.class)
                    .issueServerCertificate("coap.example.com", Duration.ofDays(1))).isNotNull();
            assertThat(context.getBean(PskIssuer.class)
                    .issue(Eui64.parse("001122fffe334455"), 16, PskIdentityScheme.defaultScheme())).isNotNull();
        }
        assertThat(dataDir.resolve(PkiConfiguration.KEYSTORE_FILE)).exists();

        try (AnnotationConfigApplicationContext again = start("configured passphrase")) {
            assertThat(again.getBean(CertificateAuthorities.class).rootCertificate().getSubjectX500Principal()
                    .getName()).isEqualTo(root);
        }
    }

    @Test
    void withoutAConfiguredPassphraseTheDevelopmentDefaultOpensTheKeystore() {
        try (AnnotationConfigApplicationContext context = start("")) {
            context.getBean(CertificateAuthorities.class);
        }

        assertThat(new Pkcs12KeyVault(dataDir.resolve(PkiConfiguration.KEYSTORE_FILE),
                ServiceSecrets.DEVELOPMENT_KEYSTORE_PASSWORD.toCharArray()).aliases())
                .contains(CertificateAuthorities.DEVICE_CA_ALIAS);
    }
}
