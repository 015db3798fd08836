package dev.fleetkey.service.bundles;

import dev.fleetkey.service.callers.Caller;
import dev.fleetkey.service.devices.CallerRules;
import dev.fleetkey.service.devices.Device;
import dev.fleetkey.service.devices.DeviceBundles;
import dev.fleetkey.service.pki.DeviceKeyRejectedException;
import dev.fleetkey.service.pki.DevicePublicKeys;
import java.security.PublicKey;
import org.springframework.stereotype.Component;

/** A caller's bundles: sealed to the key {@link CallerRules#sealingKey} names (a station's transport key), if any. */
@Component
class CallerBundles implements DeviceBundles {

    private final BundleIssuer issuer;
    private final CallerRules rules;
    private final DevicePublicKeys publicKeys;

    CallerBundles(BundleIssuer issuer, CallerRules rules, DevicePublicKeys publicKeys) {
        this.issuer = issuer;
        this.rules = rules;
        this.publicKeys = publicKeys;
    }

    @Override
    public byte[] signedFor(Caller caller, Device device) {
        return issue(caller, device).signed();
    }

    BundleIssuer.IssuedBundle issue(Caller caller, Device device) {
        PublicKey sealedTo = rules.sealingKey(caller).map(this::storedSealingKey).orElse(null);
        return issuer.issueDeviceBundle(device, sealedTo, true);
    }

    private PublicKey storedSealingKey(byte[] spki) {
        try {
            return publicKeys.fromSubjectPublicKeyInfo(spki);
        } catch (DeviceKeyRejectedException e) {
            // the key was checked when it was stored, so a rejection here means the stored row changed
            throw new IllegalStateException("The caller's stored sealing key is no longer a usable P-256 key", e);
        }
    }
}
