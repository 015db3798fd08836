package dev.fleetkey.service.bundles;

import dev.fleetkey.bundle.BundleKind;
import dev.fleetkey.bundle.BundlePayload;
import dev.fleetkey.bundle.BundleSecrets;
import dev.fleetkey.bundle.BundleSigner;
import dev.fleetkey.bundle.DtlsPolicy;
import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.bundle.Sha256;
import dev.fleetkey.bundle.TemplateRef;
import dev.fleetkey.service.audit.AuditTrail;
import dev.fleetkey.service.devices.DeliverableCredentials;
import dev.fleetkey.service.devices.DeliverableCredentials.Deliverable;
import dev.fleetkey.service.devices.Device;
import dev.fleetkey.service.devices.DeviceNotFoundException;
import dev.fleetkey.service.devices.DeviceRepository;
import dev.fleetkey.service.devices.DeviceRevokedException;
import dev.fleetkey.service.devices.TemplateMissingException;
import dev.fleetkey.service.templates.DeviceTemplate;
import dev.fleetkey.service.templates.TemplateCatalog;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Makes a device's signed bundle from its template and current credentials. Secrets travel sealed for a
 * recipient key when one is given, in clear only when the template allows it. Every bundle gets the next
 * sequence number of its device and is recorded (id, digest, who); the record and the number are kept
 * only if the whole issue succeeds.
 */
@Service
public class BundleIssuer {

    private final DeviceRepository devices;
    private final DeliverableCredentials credentials;
    private final TemplateCatalog templates;
    private final BundleServers servers;
    private final BundleLedger ledger;
    private final AuditTrail audit;
    private final BundleSigner signer;
    private final SecureRandom random = new SecureRandom();

    BundleIssuer(DeviceRepository devices, DeliverableCredentials credentials, TemplateCatalog templates,
            BundleServers servers, BundleLedger ledger, AuditTrail audit, BundleSigner signer) {
        this.devices = devices;
        this.credentials = credentials;
        this.templates = templates;
        this.servers = servers;
        this.ledger = ledger;
        this.audit = audit;
        this.signer = signer;
    }

    /** How a bundle carries the device's secrets. */
    public enum Secrets { NONE, CLEAR, SEALED }

    /**
     * A signed bundle and what identifies it.
     *
     * @param keysWithheld servers whose service-made private key was deleted after an earlier delivery, so
     *                     this bundle carries only their public parts
     */
    public record IssuedBundle(byte[] signed, String bundleIdHex, long sequence, Secrets secrets,
            List<String> keysWithheld) {
        @Override
        public String toString() {
            return "IssuedBundle[" + bundleIdHex + " seq " + sequence + ", " + signed.length + " bytes]";
        }
    }

    /** Issues the next device bundle for {@code eui64} without a recipient key (see the two-argument form). */
    @Transactional
    public IssuedBundle issueDeviceBundle(Eui64 eui64) {
        return issueDeviceBundle(eui64, null);
    }

    /**
     * Issues the next device bundle for {@code eui64}.
     *
     * @param recipient the P-256 key the bundle's secrets are sealed for, or null
     * @throws DeviceNotFoundException for an unknown device
     * @throws DeviceRevokedException for a revoked one
     * @throws TemplateMissingException when the device's template is no longer loaded
     * @throws RecipientKeyRequiredException when the bundle holds secrets, no recipient key is known and the
     *     template forbids secrets in clear
     */
    @Transactional
    public IssuedBundle issueDeviceBundle(Eui64 eui64, PublicKey recipient) {
        return issueDeviceBundle(eui64, recipient, true);
    }

    /**
     * Issues the next device bundle for {@code eui64}.
     *
     * @param recipient the P-256 key the bundle's secrets are sealed for, or null
     * @param deliveredNow whether handing out the bundle counts as its delivery: then a template that does
     *     not retain private keys loses them now. The device endpoint passes false, because a device may
     *     fetch a bundle and not install it (a dry run, a crash); it calls {@link #discardPrivateKeysOf}
     *     once a check-in shows the device holds a bundle with its current credentials.
     */
    @Transactional
    public IssuedBundle issueDeviceBundle(Eui64 eui64, PublicKey recipient, boolean deliveredNow) {
        return issueDeviceBundle(devices.findByEui64(eui64)
                .orElseThrow(() -> new DeviceNotFoundException(eui64)), recipient, deliveredNow);
    }

    /**
     * Issues the next device bundle for {@code device}, as the caller's transaction read it (a station provisioning
     * a device issues its bundle in the same transaction, without reading the device again).
     *
     * @see #issueDeviceBundle(Eui64, PublicKey, boolean)
     */
    @Transactional
    public IssuedBundle issueDeviceBundle(Device device, PublicKey recipient, boolean deliveredNow) {
        Eui64 eui64 = device.eui64();
        if (device.state() == Device.State.REVOKED) {
            throw new DeviceRevokedException(eui64, "Device " + eui64 + " is revoked: it gets no bundle");
        }
        DeviceTemplate template = templates.find(device.templateReference())
                .orElseThrow(() -> new TemplateMissingException(eui64, device.templateReference()));
        return issue(device, template, credentials.current(device), recipient, deliveredNow);
    }

    /**
     * Issues the first bundles of devices a batch's chunk just made from one template, their credentials read in one
     * query and the template looked up once; each as {@link #issueDeviceBundle(Device, PublicKey, boolean)} with
     * delivery now. Answers them in the order given.
     */
    @Transactional
    public List<IssuedBundle> issueDeviceBundles(List<Device> devices, PublicKey recipient) {
        if (devices.isEmpty()) {
            return List.of();
        }
        Device first = devices.get(0);
        DeviceTemplate template = templates.find(first.templateReference())
                .orElseThrow(() -> new TemplateMissingException(first.eui64(), first.templateReference()));
        Map<Long, List<Deliverable>> open = credentials.current(devices);
        List<IssuedBundle> issued = new ArrayList<>(devices.size());
        for (Device device : devices) {
            if (device.state() == Device.State.REVOKED || !device.templateReference().equals(template.reference())) {
                throw new IllegalArgumentException("Device " + device.eui64() + " is not a device of template "
                        + template.reference());
            }
            issued.add(issue(device, template, open.get(device.id()), recipient, true));
        }
        return issued;
    }

    private IssuedBundle issue(Device device, DeviceTemplate template, List<Deliverable> open, PublicKey recipient,
            boolean deliveredNow) {
        Eui64 eui64 = device.eui64();
        try {
            BundleServers.Entries entries = servers.entries(device, template, open);
            boolean hasSecrets = entries.servers().stream().anyMatch(s -> s.credentials().hasSecret());
            if (hasSecrets && recipient == null && !template.bundle().allowUnencryptedSecrets()) {
                throw new RecipientKeyRequiredException(template.reference());
            }
            long sequence = ledger.nextSequence(device.id(), BundleKind.DEVICE);
            Instant now = Instant.now();
            byte[] bundleId = new byte[16];
            random.nextBytes(bundleId);
            boolean seal = hasSecrets && recipient != null;
            BundlePayload payload = new BundlePayload(BundlePayload.FORMAT_VERSION, BundleKind.DEVICE, bundleId, sequence,
                    now, now.plus(template.bundle().validity()), eui64,
                    new TemplateRef(template.id(), template.version()), entries.servers(),
                    new DtlsPolicy(template.dtls().initialRetransmission(), template.dtls().resumption(),
                            template.dtls().connectionId()),
                    hasSecrets && !seal, null, template.credentials().renewalPeriod()
                            .map(period -> period.withNanos(0)).orElse(null));
            if (seal) {
                payload = BundleSecrets.seal(payload, recipient);
            }
            byte[] signed = signer.sign(payload);
            ledger.record(device.id(), payload, Sha256.digest(signed));
            if (deliveredNow && !template.credentials().retainPrivateKeys()) {
                credentials.discardDeliveredPrivateKeys(open, now);
            }
            audit.record("bundle.issued", "device:" + eui64.canonical() + " bundle:" + payload.bundleIdHex() + " seq:"
                    + sequence + (seal ? " secrets:sealed" : hasSecrets ? " secrets:clear" : ""));
            Secrets secrets = seal ? Secrets.SEALED : hasSecrets ? Secrets.CLEAR : Secrets.NONE;
            return new IssuedBundle(signed, payload.bundleIdHex(), sequence, secrets, entries.keysWithheld());
        } finally {
            open.forEach(Deliverable::wipe);
        }
    }

    /**
     * Deletes the private keys the service made for {@code device}'s current credentials when its
     * template does not retain them: called once the device is known to hold them.
     */
    @Transactional
    public void discardPrivateKeysOf(Device device) {
        boolean retain = templates.find(device.templateReference())
                .map(t -> t.credentials().retainPrivateKeys()).orElse(true);
        if (retain) {
            return;
        }
        List<Deliverable> open = credentials.current(device);
        try {
            credentials.discardDeliveredPrivateKeys(open, Instant.now());
        } finally {
            open.forEach(Deliverable::wipe);
        }
    }
}
