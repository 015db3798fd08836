package dev.fleetkey.service.stations;

import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.service.bundles.BundleIssuer;

/**
 * Where station code gets a device's signed bundle, sealed to the station's transport key when it has
 * one. An interface because sealing to a recipient ({@code Fleetkey-Recipient-Key}) is built by the
 * credentials work in {@code bundles}; {@link IssuerBundleSource} adapts whatever {@link BundleIssuer} offers.
 */
public interface StationBundleSource {

    /**
     * Issues the next bundle of {@code device}, inside the caller's transaction.
     *
     * @param recipientSpki P-256 SubjectPublicKeyInfo DER the bundle's secrets are sealed to, or null for none
     */
    BundleIssuer.IssuedBundle issue(Eui64 device, byte[] recipientSpki);
}
