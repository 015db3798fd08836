package dev.fleetkey.service.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

class ServerCredentialStoreTest {

    private final InMemoryKeyVault vault = new InMemoryKeyVault();
    private final CertificateAuthorities cas = TestPki.shared();

    private ServerCredentialStore store(Clock clock) {
        P256Crypto crypto = P256Crypto.preferred();
        return new ServerCredentialStore(vault, new ServerCredentialIssuer(new CertificateIssuer(cas::serverCa,
                CertificateProfile.server(TestPki.serials(), Clock.systemUTC()), crypto), crypto), crypto, clock);
    }

    @Test
    void firstNeedIssuesAndLaterNeedsReuseTheStoredCredential() {
        ServerCredential first = store(Clock.systemUTC()).credentialFor("fleetkey", "coap.example.com");

        // a new store over the same vault (a restart) finds it
        ServerCredential again = store(Clock.systemUTC()).credentialFor("fleetkey", "coap.example.com");

        assertThat(again.certificate()).isEqualTo(first.certificate());
        assertThat(vault.aliases()).contains("fleetkey-dtls-server-fleetkey");
        assertThat(first.chain()).hasSize(2);
        assertThat(first.chain().get(1)).isEqualTo(cas.serverCa().certificate());
    }

    @Test
    void anotherFqdnForTheServerIssuesANewCertificate() {
        ServerCredentialStore store = store(Clock.systemUTC());
        ServerCredential first = store.credentialFor("fleetkey", "coap.example.com");

        ServerCredential moved = store.credentialFor("fleetkey", "coap2.example.com");

        assertThat(moved.certificate()).isNotEqualTo(first.certificate());
        assertThat(store.find("fleetkey")).hasValue(moved);
    }

    @Test
    void aCertificateCloseToExpiryIsRenewed() {
        ServerCredential first = store(Clock.systemUTC()).credentialFor("fleetkey", "coap.example.com");
        Instant nearEnd = first.certificate().getNotAfter().toInstant().minus(Duration.ofDays(10));

        ServerCredential renewed = store(Clock.fixed(nearEnd, ZoneOffset.UTC)).credentialFor("fleetkey", "coap.example.com");

        assertThat(renewed.certificate()).isNotEqualTo(first.certificate());
    }

    @Test
    void serverNamesThatCouldClashWithOtherAliasesAreRefused() {
        assertThatThrownBy(() -> store(Clock.systemUTC()).credentialFor("../ca", "coap.example.com"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is invalid");
        assertThat(store(Clock.systemUTC()).anyIssued()).isFalse();
    }
}
