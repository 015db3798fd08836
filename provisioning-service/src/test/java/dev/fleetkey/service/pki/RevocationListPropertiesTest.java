package dev.fleetkey.service.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RevocationListPropertiesTest {

    @Test
    void aValidityFromAnHourToNinetyDaysIsAccepted() {
        assertThat(new RevocationListProperties(Duration.ofHours(1)).validity()).isEqualTo(Duration.ofHours(1));
        assertThat(new RevocationListProperties(Duration.ofDays(90)).validity()).isEqualTo(Duration.ofDays(90));
    }

    @Test
    void aValidityOutsideTheRangeIsRefusedNamingThePropertyAndTheRange() {
        assertThatThrownBy(() -> new RevocationListProperties(Duration.ofMinutes(5)))
                .hasMessageContaining("fleetkey.pki.crl.validity").hasMessageContaining("PT1H to P90D");
        assertThatThrownBy(() -> new RevocationListProperties(Duration.ofDays(91)))
                .hasMessageContaining("fleetkey.pki.crl.validity");
    }
}
