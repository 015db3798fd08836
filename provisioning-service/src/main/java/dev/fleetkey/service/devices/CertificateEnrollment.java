package dev.fleetkey.service.devices;

import dev.fleetkey.bundle.Certificates;
import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.service.audit.AuditTrail;
import dev.fleetkey.service.templates.DeviceTemplate;
import dev.fleetkey.service.templates.TemplateCatalog;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Certificates a device asks for itself (EST enrollment on the device endpoint), issued by the same code and
 * rules as station provisioning: the key is bound to the device for good ({@link DevicePublicKeyRegistry}),
 * and every x509 server of the device's template gets a certificate from the device CA with the EUI-64 in CN
 * and SAN {@code urn:dev:mac:}. Who may enroll is the caller's decision; this only refuses what no caller
 * may do (a revoked device, a template without x509 server, a key used before).
 */
@Service
public class CertificateEnrollment {

    private final DeviceRepository devices;
    private final TemplateCatalog templates;
    private final CredentialMinter minter;
    private final DeviceProvisioning provisioning;
    private final AuditTrail audit;

    CertificateEnrollment(DeviceRepository devices, TemplateCatalog templates, CredentialMinter minter,
            DeviceProvisioning provisioning, AuditTrail audit) {
        this.devices = devices;
        this.templates = templates;
        this.minter = minter;
        this.provisioning = provisioning;
        this.audit = audit;
    }

    /**
     * What an enrollment gave the device.
     *
     * @param device      the device, after the enrollment
     * @param certificate its new certificate for the server asked for (or its first x509 server)
     * @param provisioned whether the device was created by this enrollment
     */
    public record Enrolled(Device device, X509Certificate certificate, boolean provisioned) {
    }

    /**
     * Certifies {@code key} for an existing device: its current certificates stay usable for {@code overlap},
     * then only the new ones work.
     *
     * @param key     a key checked already (CSR signature and identity, see {@code DevicePublicKeys.fromCsr})
     * @param origin  who made the key pair
     * @param server  the server whose certificate to answer with (the device endpoint's)
     * @param context how the device asked, for the audit log (e.g. {@code est:/sren mode:x509})
     * @throws DeviceNotFoundException for an unknown device
     * @throws DeviceRevokedException for a revoked device
     * @throws TemplateMissingException when the device's template is no longer loaded
     * @throws PublicKeyInUseException when the key is or was bound to a device, this one included
     */
    @Transactional
    public Enrolled reissue(Eui64 eui64, PublicKey key, DeviceCredential.KeyOrigin origin, String server,
            Duration overlap, String context) {
        Device device = devices.findByEui64(eui64).orElseThrow(() -> new DeviceNotFoundException(eui64));
        if (device.state() == Device.State.REVOKED) {
            throw new DeviceRevokedException(eui64, "Device " + eui64 + " is revoked; a revoked device gets no new"
                    + " certificate. An administrator provisions it anew to bring it back");
        }
        DeviceTemplate template = templates.find(device.templateReference())
                .orElseThrow(() -> new TemplateMissingException(eui64, device.templateReference()));
        List<String> x509Servers = x509Servers(template);
        devices.lock(device.id());
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        for (String name : x509Servers) {
            devices.phaseOutCurrent(device.id(), name, now.plus(overlap));
        }
        List<X509Certificate> issued = minter.mintCertificates(device, template, key, origin, now);
        X509Certificate answer = issued.get(Math.max(0, x509Servers.indexOf(server)));
        audit.record("device.enrolled", fit("device:" + eui64.canonical() + " serial:" + answer.getSerialNumber()
                .toString(16) + " overlap:" + overlap + " key:" + origin.name().toLowerCase(Locale.ROOT) + " " + context));
        return new Enrolled(device, answer, false);
    }

    /**
     * Creates a device that enrolled with a factory certificate, from {@code template}, with {@code csr}'s key
     * for its rpk and x509 servers: exactly what a station's provisioning with that CSR makes.
     *
     * @param csr DER PKCS#10; checked like a station's (signature, P-256, names no one else)
     * @throws dev.fleetkey.service.system.InvalidFieldException naming {@code csr} for a refused CSR
     */
    @Transactional
    public Enrolled provision(Eui64 eui64, DeviceTemplate template, byte[] csr, String server, String context) {
        x509Servers(template);
        DeviceProvisioning.Outcome outcome = provisioning.provision(eui64, Optional.empty(), template.reference(),
                new DeviceKeySubmission(null, Base64.getEncoder().encodeToString(csr)));
        List<DeviceCredential> current = devices.currentCredentials(outcome.device().id());
        X509Certificate answer = current.stream().filter(c -> c.certificate() != null)
                .filter(c -> c.serverName().equals(server)).findFirst()
                .or(() -> current.stream().filter(c -> c.certificate() != null).findFirst())
                .map(c -> CertificateEnrollment.parse(c.certificate())).orElseThrow();
        audit.record("device.enrolled", fit("device:" + eui64.canonical() + " serial:" + answer.getSerialNumber()
                .toString(16) + " provisioned-from:" + template.reference() + " " + context));
        return new Enrolled(outcome.device(), answer, true);
    }

    private static List<String> x509Servers(DeviceTemplate template) {
        List<String> names = template.servers().stream().filter(s -> s.mode() == DeviceTemplate.Mode.X509)
                .map(DeviceTemplate.Server::name).toList();
        if (names.isEmpty()) {
            throw new NoCertificateServerException(template.reference());
        }
        return names;
    }

    /** An audit subject holds 256 characters; the context (how the device asked) comes last and is cut first. */
    private static String fit(String subject) {
        return subject.length() <= 256 ? subject : subject.substring(0, 253) + "...";
    }

    private static X509Certificate parse(byte[] der) {
        try {
            return Certificates.parse(der);
        } catch (CertificateException e) {
            throw new IllegalStateException("A stored device certificate does not parse", e);
        }
    }
}
