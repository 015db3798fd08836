package dev.fleetkey.service.stations;

import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.service.bundles.BundleIssuer;
import dev.fleetkey.service.system.ApiException;
import org.springframework.stereotype.Component;

/**
 * Bundles from {@link BundleIssuer}. Until the issuer can seal to a recipient key, a station with a
 * transport key gets 422 rather than a bundle with its secrets in clear: a station that asked for
 * sealing must never silently receive less.
 */
@Component
class IssuerBundleSource implements StationBundleSource {

    private final BundleIssuer issuer;

    IssuerBundleSource(BundleIssuer issuer) {
        this.issuer = issuer;
    }

    @Override
    public BundleIssuer.IssuedBundle issue(Eui64 device, byte[] recipientSpki) {
        if (recipientSpki != null) {
            throw ApiException.unprocessable("sealing-unavailable", "This station has a transport key, so its bundles must be"
                    + " sealed to it, and this service build cannot seal bundles to a recipient yet: remove the station's"
                    + " transportPublicKey (PATCH /api/v1/stations/{id}) or upgrade the service");
        }
        return issuer.issueDeviceBundle(device);
    }
}
