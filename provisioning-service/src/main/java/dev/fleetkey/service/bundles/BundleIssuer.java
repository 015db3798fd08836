package dev.fleetkey.service.bundles;

import dev.fleetkey.bundle.BundleKind;
import dev.fleetkey.bundle.BundlePayload;
import dev.fleetkey.bundle.BundleSigner;
import dev.fleetkey.bundle.CipherSuite;
import dev.fleetkey.bundle.CredentialMode;
import dev.fleetkey.bundle.DtlsPolicy;
import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.bundle.ServerCredentials;
import dev.fleetkey.bundle.ServerEntry;
import dev.fleetkey.bundle.TemplateRef;
import dev.fleetkey.service.devices.Device;
import dev.fleetkey.service.devices.DevicePsks;
import dev.fleetkey.service.devices.DevicePsks.OpenPsk;
import dev.fleetkey.service.devices.DeviceRepository;
import dev.fleetkey.service.system.ApiException;
import dev.fleetkey.service.system.AuditTrail;
import dev.fleetkey.service.templates.DeviceTemplate;
import dev.fleetkey.service.templates.TemplateCatalog;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Makes a device's signed bundle from its template and credentials. Every bundle gets the next
 * sequence number of its device and is recorded (id, digest, who); the record and the number are
 * kept only if the whole issue succeeds.
 */
@Service
public class BundleIssuer {

    private final DeviceRepository devices;
    private final DevicePsks psks;
    private final TemplateCatalog templates;
    private final BundleLedger ledger;
    private final AuditTrail audit;
    private final BundleSigner signer;
    private final SecureRandom random = new SecureRandom();

    BundleIssuer(DeviceRepository devices, DevicePsks psks, TemplateCatalog templates, BundleLedger ledger,
            AuditTrail audit, BundleSigningIdentity identity) {
        this.devices = devices;
        this.psks = psks;
        this.templates = templates;
        this.ledger = ledger;
        this.audit = audit;
        this.signer = new BundleSigner(identity.key(), identity.certificate(), true);
    }

    /** A signed bundle and what identifies it. */
    public record IssuedBundle(byte[] signed, String bundleIdHex, long sequence) {
        @Override
        public String toString() {
            return "IssuedBundle[" + bundleIdHex + " seq " + sequence + ", " + signed.length + " bytes]";
        }
    }

    /**
     * Issues the next device bundle for {@code eui64}.
     *
     * @throws ApiException 404 for an unknown device, 422 when its template forbids secrets in clear
     */
    @Transactional
    public IssuedBundle issueDeviceBundle(Eui64 eui64) {
        Device device = devices.findByEui64(eui64)
                .orElseThrow(() -> ApiException.notFound("No device " + eui64 + " is provisioned"));
        DeviceTemplate template = templates.find(device.templateReference())
                .orElseThrow(() -> ApiException.unprocessable("template-missing", "Device " + eui64 + " was provisioned from "
                        + device.templateReference() + ", which is no longer loaded; restore that template file"));
        if (!template.bundle().allowUnencryptedSecrets()) {
            throw ApiException.unprocessable("encryption-required", "Template " + template.reference()
                    + " sets bundle.allow-unencrypted-secrets: false, and this service version cannot encrypt bundles yet");
        }
        long sequence = ledger.nextSequence(device.id(), BundleKind.DEVICE);
        Instant now = Instant.now();
        byte[] bundleId = new byte[16];
        random.nextBytes(bundleId);
        BundlePayload payload = new BundlePayload(BundlePayload.FORMAT_VERSION, BundleKind.DEVICE, bundleId, sequence,
                now, now.plus(template.bundle().validity()), eui64,
                new TemplateRef(template.id(), template.version()), servers(device, template),
                new DtlsPolicy(template.dtls().initialRetransmission(), template.dtls().resumption(),
                        template.dtls().connectionId()),
                true);
        byte[] signed = signer.sign(payload);
        ledger.record(device.id(), payload, sha256(signed));
        audit.record("bundle.issued", "device:" + eui64.canonical() + " bundle:" + payload.bundleIdHex() + " seq:" + sequence);
        return new IssuedBundle(signed, payload.bundleIdHex(), sequence);
    }

    private List<ServerEntry> servers(Device device, DeviceTemplate template) {
        List<OpenPsk> open = psks.activePsks(device);
        try {
            List<ServerEntry> servers = new ArrayList<>();
            for (DeviceTemplate.Server server : template.servers()) {
                OpenPsk psk = open.stream().filter(p -> p.serverName().equals(server.name())).findFirst()
                        .orElseThrow(() -> ApiException.unprocessable("credential-missing", "Device " + device.eui64()
                                + " has no active credential for server '" + server.name() + "'"));
                servers.add(new ServerEntry(server.name(), server.uri(), server.host(), CredentialMode.PSK,
                        List.of(CipherSuite.TLS_PSK_WITH_AES_128_CCM_8),
                        new ServerCredentials.Psk(psk.identity(), psk.key())));
            }
            return servers;
        } finally {
            open.forEach(OpenPsk::wipe);
        }
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
