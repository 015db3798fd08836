package dev.fleetkey.service.endpoint;

import java.security.Principal;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Date;
import java.util.Optional;

import org.eclipse.californium.elements.auth.RawPublicKeyIdentity;
import org.eclipse.californium.elements.auth.X509CertPath;

import dev.fleetkey.bundle.Eui64;

/**
 * Whether the credential a DTLS session authenticated with is still one its device may use, asked of the
 * {@link DeviceCredentialDirectory} on every CoAP request and every session resumption. A handshake checks
 * the credential once; this makes a revocation, the end of a rotation overlap and a certificate's expiry
 * take effect on sessions that are already open or saved on the device.
 */
final class CurrentCredentials {

    private final DeviceCredentialDirectory directory;

    CurrentCredentials(DeviceCredentialDirectory directory) {
        this.directory = directory;
    }

    /**
     * The device {@code principal} authenticated, if the credential it used is valid now.
     *
     * @param principal a session's peer identity, as {@link DevicePrincipals} amended it
     */
    Optional<Eui64> stillValid(Principal principal) {
        Optional<Eui64> device = DevicePrincipals.deviceOf(principal);
        return device.filter(eui64 -> credentialValid(eui64, principal));
    }

    private boolean credentialValid(Eui64 device, Principal principal) {
        if (principal instanceof RawPublicKeyIdentity) {
            return directory.findByRawPublicKey(((RawPublicKeyIdentity) principal).getKey().getEncoded())
                    .filter(known -> known.eui64().equals(device)).isPresent();
        }
        if (principal instanceof X509CertPath) {
            X509CertPath path = (X509CertPath) principal;
            return inDate(path) && directory.findByCertificate(device, path.getTarget())
                    .filter(known -> known.eui64().equals(device)).isPresent();
        }
        return DevicePrincipals.pskIdentityOf(principal)
                .map(identity -> directory.acceptsPskIdentity(device, identity)).orElse(false);
    }

    /** Every certificate of the session's path, the leaf and any intermediate, is valid today. */
    private static boolean inDate(X509CertPath path) {
        Date now = new Date();
        for (Certificate certificate : path.getPath().getCertificates()) {
            try {
                ((X509Certificate) certificate).checkValidity(now);
            } catch (CertificateException e) {
                return false;
            }
        }
        return true;
    }
}
