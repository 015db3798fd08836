package dev.fleetkey.service.bundles;

import dev.fleetkey.bundle.CredentialMode;
import dev.fleetkey.bundle.ServerCredentials;
import dev.fleetkey.bundle.ServerEntry;
import dev.fleetkey.bundle.Sha256;
import dev.fleetkey.service.devices.DeliverableCredentials.Deliverable;
import dev.fleetkey.service.devices.Device;
import dev.fleetkey.service.pki.CertificateAuthorities;
import dev.fleetkey.service.pki.ServerCredentialStore;
import dev.fleetkey.service.bundles.UnbuildableBundleException.Problem;
import dev.fleetkey.service.templates.DeviceTemplate;
import dev.fleetkey.service.templates.ServerEntries;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.springframework.stereotype.Component;

/**
 * The server entries of a device bundle: per server of the template, the device's own credential and what
 * the device needs to authenticate that server (PSK: nothing more; rpk: the server's SPKI and its SHA-256
 * pin; x509: the Fleetkey root as trust anchor, and the client chain leaf + device CA).
 */
@Component
class BundleServers {

    private final CertificateAuthorities authorities;
    private final ServerCredentialStore serverCredentials;

    BundleServers(CertificateAuthorities authorities, ServerCredentialStore serverCredentials) {
        this.authorities = authorities;
        this.serverCredentials = serverCredentials;
    }

    /** The entries, and the servers whose private key is no longer held (deleted after delivery). */
    record Entries(List<ServerEntry> servers, List<String> keysWithheld) {
    }

    Entries entries(Device device, DeviceTemplate template, List<Deliverable> open) {
        List<ServerEntry> servers = new ArrayList<>();
        List<String> withheld = new ArrayList<>();
        for (DeviceTemplate.Server server : template.servers()) {
            Deliverable credential = open.stream().filter(c -> c.serverName().equals(server.name())).findFirst()
                    .orElseThrow(() -> new UnbuildableBundleException(Problem.CREDENTIAL_MISSING, server.name(), "Device " + device.eui64()
                            + " has no current credential for server '" + server.name() + "': rotate the device to "
                            + "issue credentials for its template's servers"));
            if (credential.keyDiscarded()) {
                withheld.add(server.name());
            }
            servers.add(entry(server, credential));
        }
        return new Entries(servers, withheld);
    }

    private ServerEntry entry(DeviceTemplate.Server server, Deliverable credential) {
        requireMode(server, credential);
        try {
            return entryFor(server, credential);
        } catch (IllegalArgumentException e) {
            // the server CA certifies DNS names only; a template may name an IP address
            throw new UnbuildableBundleException(Problem.SERVER_HOST_INVALID, server.name(), "Template server '" + server.name() + "' has host '"
                    + server.host() + "', which cannot be certified: " + e.getMessage());
        }
    }

    private ServerEntry entryFor(DeviceTemplate.Server template, Deliverable credential) {
        return ServerEntries.of(template, new ServerEntries.Credentials() {
            @Override
            public ServerCredentials.Psk psk(DeviceTemplate.Server server) {
                return new ServerCredentials.Psk(credential.pskIdentity(), credential.secret());
            }

            @Override
            public ServerCredentials.RawPublicKey rawPublicKey(DeviceTemplate.Server server) {
                byte[] serverKey = serverCredentials.rawPublicKeyFor(server.name(), server.host()).subjectPublicKeyInfo();
                return new ServerCredentials.RawPublicKey(credential.secret(), credential.publicKey(),
                        List.of(serverKey), List.of(Sha256.digest(serverKey)));
            }

            @Override
            public ServerCredentials.Certificates certificates(DeviceTemplate.Server server) {
                // the server's certificate is made now if needed, so the operator can export it for the server
                serverCredentials.credentialFor(server.name(), server.host());
                List<byte[]> chain = Stream.concat(Stream.of(credential.certificate()),
                        authorities.deviceCa().chainWithoutRoot().stream().map(BundleServers::der)).toList();
                return new ServerCredentials.Certificates(credential.secret(), chain,
                        List.of(der(authorities.rootCertificate())));
            }
        });
    }

    /** A template edited in place (same version) may give a server another mode than its credential has. */
    private static void requireMode(DeviceTemplate.Server server, Deliverable credential) {
        CredentialMode expected = ServerEntries.credentialMode(server.mode());
        if (expected != credential.mode()) {
            throw new UnbuildableBundleException(Problem.CREDENTIAL_MODE_MISMATCH, server.name(), "Server '" + server.name() + "' is "
                    + server.mode().yamlName() + " in the template but the device's credential is " + credential.mode()
                    + ": rotate the device to issue credentials matching its template");
        }
    }

    private static byte[] der(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("A CA certificate cannot be encoded", e);
        }
    }
}
