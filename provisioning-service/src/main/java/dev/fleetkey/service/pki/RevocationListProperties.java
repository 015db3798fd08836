package dev.fleetkey.service.pki;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code fleetkey.pki.crl.*}: how long a revocation list is valid. Checked once at start-up.
 *
 * @param validity from a CRL's thisUpdate to its nextUpdate (default P7D, from PT1H to P90D); a new CRL is issued
 *                 on the first request after half of it has passed, and on the first request after a revocation
 */
@ConfigurationProperties("fleetkey.pki.crl")
public record RevocationListProperties(@DefaultValue("P7D") Duration validity) {

    static final Duration MIN_VALIDITY = Duration.ofHours(1);
    static final Duration MAX_VALIDITY = Duration.ofDays(90);

    public RevocationListProperties {
        if (validity == null || validity.compareTo(MIN_VALIDITY) < 0 || validity.compareTo(MAX_VALIDITY) > 0) {
            throw new IllegalArgumentException("fleetkey.pki.crl.validity is " + validity + ": set an ISO-8601 "
                    + "duration from PT1H to P90D (default P7D); relying parties refetch the CRL when it runs out");
        }
    }
}
