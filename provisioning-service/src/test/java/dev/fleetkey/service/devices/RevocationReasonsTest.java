package dev.fleetkey.service.devices;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetkey.service.pki.RevokedCertificates.Reason;
import org.junit.jupiter.api.Test;

class RevocationReasonsTest {

    @Test
    void theOperatorsWordsMapToTheCrlReasonCodes() {
        assertThat(RevocationReasons.of("Key compromised")).isEqualTo(Reason.KEY_COMPROMISE);
        assertThat(RevocationReasons.of("replaced by re-provisioning from demo-x509@1")).isEqualTo(Reason.SUPERSEDED);
        assertThat(RevocationReasons.of("device scrapped")).isEqualTo(Reason.CESSATION_OF_OPERATION);
        assertThat(RevocationReasons.of("customer asked")).isEqualTo(Reason.UNSPECIFIED);
    }
}
