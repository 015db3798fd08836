package dev.fleetkey.service.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import javax.crypto.SecretKey;

import org.junit.jupiter.api.Test;

class ServerCredentialStoreTest {

    private final InMemoryKeyVault vault = new InMemoryKeyVault();
    private final CertificateAuthorities cas = TestPki.shared();

    private ServerCredentialStore store(Clock clock) {
        return store(vault, clock);
    }

    private ServerCredentialStore store(KeyVault vault, Clock clock) {
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

    @Test
    void anInstanceSharingTheStoreUsesTheServerKeyAnotherInstanceIssuedInsteadOfMakingASecond() {
        ServerCredentialStore a = store(new InstanceView(vault), Clock.systemUTC());
        ServerCredentialStore b = store(new InstanceView(vault), Clock.systemUTC());

        ServerCredential issuedByA = a.credentialFor("fleetkey", "coap.example.com");
        ServerCredential seenByB = b.credentialFor("fleetkey", "coap.example.com");

        assertThat(seenByB.certificate()).isEqualTo(issuedByA.certificate());
    }

    @Test
    void aRotationOnAnotherInstanceReachesThisOneOnceWhatItReadIsNoLongerFresh() {
        MovableClock clock = new MovableClock();
        ServerCredentialStore a = store(new InstanceView(vault), clock);
        ServerCredentialStore b = store(new InstanceView(vault), clock);
        ServerCredential first = a.credentialFor("fleetkey", "coap.example.com");
        assertThat(b.credentialFor("fleetkey", "coap.example.com").certificate()).isEqualTo(first.certificate());

        ServerCredential rotated = a.issue("fleetkey", "coap.example.com");
        clock.now = clock.now.plus(ServerCredentialStore.FRESH).plusSeconds(1);

        assertThat(b.find("fleetkey")).get().extracting(ServerCredential::certificate)
                .isEqualTo(rotated.certificate());
    }

    /** One instance's view of a shared token: entries other instances store show only after {@link #refresh}. */
    private static final class InstanceView implements KeyVault {
        private final KeyVault shared;
        private final Map<String, VaultKeyEntry> seen = new ConcurrentHashMap<>();

        InstanceView(KeyVault shared) {
            this.shared = shared;
            refresh();
        }

        @Override
        public void refresh() {
            seen.clear();
            shared.aliases().forEach(alias -> shared.privateKeyEntry(alias).ifPresent(e -> seen.put(alias, e)));
        }

        @Override
        public Optional<VaultKeyEntry> privateKeyEntry(String alias) {
            return Optional.ofNullable(seen.get(alias));
        }

        @Override
        public void storePrivateKeyEntry(String alias, PrivateKey key, List<X509Certificate> chain) {
            shared.storePrivateKeyEntry(alias, key, chain);
            seen.put(alias, shared.privateKeyEntry(alias).orElseThrow());
        }

        @Override
        public Optional<SecretKey> secretKey(String alias) {
            return shared.secretKey(alias);
        }

        @Override
        public void storeSecretKey(String alias, SecretKey key) {
            shared.storeSecretKey(alias, key);
        }

        @Override
        public Set<String> aliases() {
            return Set.copyOf(seen.keySet());
        }

        @Override
        public void delete(String alias) {
            shared.delete(alias);
            seen.remove(alias);
        }
    }

    private static final class MovableClock extends Clock {
        private Instant now = Instant.now();

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
