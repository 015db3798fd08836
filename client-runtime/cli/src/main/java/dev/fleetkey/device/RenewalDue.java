package dev.fleetkey.device;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Optional;

import dev.fleetkey.bundle.BundlePayload;
import dev.fleetkey.bundle.ServerCredentials;
import dev.fleetkey.runtime.ClientIdentity;

/**
 * The warning {@code connect} and {@code checkin} print when the template's renewal period has begun: the client
 * certificate's notAfter minus the bundle's {@code renewBefore} has passed.
 */
final class RenewalDue {

    private RenewalDue() {
    }

    static void warn(PrintWriter err, BundlePayload bundle, String server, Optional<ClientIdentity> identity,
                     Instant now, Path stateDirectory) {
        Optional<Instant> notAfter = identity.map(id -> id.chain().get(0).getNotAfter().toInstant())
                .or(() -> bundleLeafNotAfter(bundle, server));
        if (notAfter.isEmpty()) {
            return;
        }
        Optional<Instant> due = bundle.renewalDue(notAfter.get());
        if (due.isPresent() && !now.isBefore(due.get())) {
            err.println("fleetkey-device: warning: the certificate for server '" + server + "' expires at "
                    + notAfter.get() + "; renewal was due from " + due.get() + " (template renewBefore "
                    + bundle.renewBefore() + "): run fleetkey-device renew --server " + server + " --state-dir "
                    + (stateDirectory == null ? "DIR" : stateDirectory.toString()));
        }
    }

    private static Optional<Instant> bundleLeafNotAfter(BundlePayload bundle, String server) {
        return bundle.server(server)
                .filter(entry -> entry.credentials() instanceof ServerCredentials.Certificates c && !c.clientChain().isEmpty())
                .map(entry -> ((ServerCredentials.Certificates) entry.credentials()).clientChain().get(0))
                .flatMap(RenewalDue::notAfter);
    }

    private static Optional<Instant> notAfter(byte[] der) {
        try {
            X509Certificate leaf = (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(new java.io.ByteArrayInputStream(der));
            return Optional.of(leaf.getNotAfter().toInstant());
        } catch (java.security.cert.CertificateException e) {
            return Optional.empty(); // the session reports the unparsable chain itself
        }
    }
}
