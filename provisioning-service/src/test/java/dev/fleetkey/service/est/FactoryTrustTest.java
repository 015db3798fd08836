package dev.fleetkey.service.est;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetkey.bundle.Eui64;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A factory certificate is trusted exactly when it chains to a manufacturer CA the template lists. */
class FactoryTrustTest {

    private static final FactoryPki MANUFACTURER = FactoryPki.manufacturer("Trusted IDevID CA");
    private static final FactoryPki OTHER = FactoryPki.manufacturer("Other IDevID CA");
    private static final Eui64 DEVICE = Eui64.parse("00-11-22-FF-FE-00-E8-01");

    @Test
    void anIdevidOfTheListedCaIsTrustedWithOrWithoutTheCaInTheChain() throws Exception {
        X509Certificate idevid = MANUFACTURER.idevid(DEVICE, EstFixtures.p256().getPublic());

        assertThat(FactoryTrust.validates(List.of(idevid), List.of(MANUFACTURER.ca()))).isTrue();
        assertThat(FactoryTrust.validates(List.of(idevid, MANUFACTURER.ca()), List.of(OTHER.ca(), MANUFACTURER.ca())))
                .isTrue();
    }

    @Test
    void anIdevidOfAnotherCaTheCaItselfAndAnEmptyChainAreNot() throws Exception {
        X509Certificate idevid = OTHER.idevid(DEVICE, EstFixtures.p256().getPublic());

        assertThat(FactoryTrust.validates(List.of(idevid), List.of(MANUFACTURER.ca()))).isFalse();
        assertThat(FactoryTrust.validates(List.of(idevid, OTHER.ca()), List.of(MANUFACTURER.ca()))).isFalse();
        assertThat(FactoryTrust.validates(List.of(MANUFACTURER.ca()), List.of(MANUFACTURER.ca()))).isFalse();
        assertThat(FactoryTrust.validates(List.of(), List.of(MANUFACTURER.ca()))).isFalse();
    }
}
