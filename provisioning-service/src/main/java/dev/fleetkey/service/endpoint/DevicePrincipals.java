package dev.fleetkey.service.endpoint;

import java.security.Principal;
import java.util.Map;
import java.util.Optional;

import org.eclipse.californium.elements.auth.AdditionalInfo;
import org.eclipse.californium.elements.auth.ExtensiblePrincipal;
import org.eclipse.californium.scandium.auth.ApplicationLevelInfoSupplier;

import dev.fleetkey.bundle.Eui64;

/**
 * Ties a DTLS principal to the device it authenticated: the PSK lookup hands the device's EUI-64 to the
 * handshake, and this supplier stores it in the principal, where resources read it back. The values are kept as
 * objects (the {@link Eui64}, the identity's bytes), not text: every request reads them, and parsing them back
 * was a measurable share of a PSK handshake's CPU (PERFORMANCE.md).
 */
final class DevicePrincipals implements ApplicationLevelInfoSupplier {

    private static final String EUI64 = "fleetkey.eui64";
    private static final String PSK_IDENTITY = "fleetkey.psk-identity";
    private static final String FACTORY = "fleetkey.factory-certificate";

    /** What the PSK lookup hands over: the device, and the identity it used (to tell an old credential from a new). */
    record PskDevice(Eui64 eui64, byte[] identity) {
    }

    /** What the certificate verifier hands over for a factory certificate (IDevID): usable for enrollment only. */
    record FactoryDevice(Eui64 eui64) {
    }

    /**
     * Called at the end of each handshake. A resumed handshake makes no PSK lookup and so has no EUI-64 to
     * offer: answering {@code null} keeps what the full handshake stored in the session.
     */
    @Override
    public AdditionalInfo getInfo(Principal peerIdentity, Object customArgument) {
        if (customArgument instanceof PskDevice) {
            PskDevice psk = (PskDevice) customArgument;
            return AdditionalInfo.from(Map.of(EUI64, psk.eui64(), PSK_IDENTITY, psk.identity().clone()));
        }
        if (customArgument instanceof FactoryDevice factory) {
            return AdditionalInfo.from(Map.of(EUI64, factory.eui64(), FACTORY, "true"));
        }
        if (customArgument instanceof Eui64) {
            return AdditionalInfo.from(Map.of(EUI64, customArgument));
        }
        return null;
    }

    /** The PSK identity a PSK session authenticated with, if it is one. */
    static Optional<byte[]> pskIdentityOf(Principal principal) {
        if (principal instanceof ExtensiblePrincipal) {
            byte[] identity = ((ExtensiblePrincipal<?>) principal).getExtendedInfo().get(PSK_IDENTITY, byte[].class);
            return Optional.ofNullable(identity).map(byte[]::clone);
        }
        return Optional.empty();
    }

    /** Whether the session authenticated with a factory certificate rather than a credential Fleetkey issued. */
    static boolean isFactory(Principal principal) {
        return principal instanceof ExtensiblePrincipal
                && "true".equals(((ExtensiblePrincipal<?>) principal).getExtendedInfo().get(FACTORY, String.class));
    }

    /** The device a request's principal belongs to, if the handshake authenticated one. */
    static Optional<Eui64> deviceOf(Principal principal) {
        if (principal instanceof ExtensiblePrincipal) {
            return Optional.ofNullable(((ExtensiblePrincipal<?>) principal).getExtendedInfo().get(EUI64, Eui64.class));
        }
        return Optional.empty();
    }
}
