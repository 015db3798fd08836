package dev.fleetkey.service.pki;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code fleetkey.pki.*}: how the service's certificate authorities are named. Checked once at start-up; errors
 * name the bad value.
 *
 * @param organization the O= of the root, device and server CAs made on first start (default Fleetkey); CAs that
 *                     already exist keep their names
 */
@ConfigurationProperties("fleetkey.pki")
public record PkiProperties(@DefaultValue("Fleetkey") String organization) {

    public PkiProperties {
        if (organization == null || organization.isBlank()) {
            throw new IllegalArgumentException("fleetkey.pki.organization must not be empty: set the organization "
                    + "name for the CA certificates (default Fleetkey)");
        }
        if (organization.length() > 64) {
            throw new IllegalArgumentException("fleetkey.pki.organization is " + organization.length()
                    + " characters long: X.509 allows at most 64 for an organization name");
        }
    }
}
