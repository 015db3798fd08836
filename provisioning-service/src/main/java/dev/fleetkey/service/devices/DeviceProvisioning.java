package dev.fleetkey.service.devices;

import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.service.audit.AuditTrail;
import dev.fleetkey.service.callers.Caller;
import dev.fleetkey.service.pki.DevicePublicKeys;
import dev.fleetkey.service.system.InvalidFieldException;
import dev.fleetkey.service.system.RequestText;
import dev.fleetkey.service.templates.DeviceTemplate;
import dev.fleetkey.service.templates.TemplateCatalog;
import java.security.PublicKey;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Creates a device and its credentials, one per server of its template in the server's mode, in one
 * transaction: after any failure nothing of it is left.
 */
@Service
public class DeviceProvisioning {

    private final DeviceRepository devices;
    private final TemplateCatalog templates;
    private final CredentialMinter minter;
    private final CredentialRotation rotation;
    private final DevicePublicKeys publicKeys;
    private final AuditTrail audit;
    private final CallerRules rules;
    private final ProvisioningMetrics metrics;

    DeviceProvisioning(DeviceRepository devices, TemplateCatalog templates, CredentialMinter minter,
            CredentialRotation rotation, DevicePublicKeys publicKeys, AuditTrail audit, CallerRules rules,
            ProvisioningMetrics metrics) {
        this.devices = devices;
        this.templates = templates;
        this.minter = minter;
        this.rotation = rotation;
        this.publicKeys = publicKeys;
        this.audit = audit;
        this.rules = rules;
        this.metrics = metrics;
    }

    /** What provisioning did: the device, and whether credentials were made now ({@code false}: return-existing). */
    public record Outcome(Device device, boolean created) {
    }

    /** Provisions with key pairs made by the service; see {@link #provision(String, String, DeviceKeySubmission)}. */
    @Transactional
    public Outcome provision(String eui64Text, String templateReference) {
        return provision(eui64Text, templateReference, DeviceKeySubmission.NONE);
    }

    /**
     * Provisions {@code eui64Text} from {@code templateReference} ({@code id} or {@code id@version}).
     *
     * @param submitted a key made on the device for the template's rpk and x509 servers, or
     *                  {@link DeviceKeySubmission#NONE}
     * @throws InvalidFieldException naming the field for a bad EUI-64, an unknown template or a refused key
     * @throws DeviceExistsException when the device exists and its template's policy is {@code fail}
     * @throws dev.fleetkey.service.credentials.PskIdentityInUseException when a PSK identity is taken
     * @throws PublicKeyInUseException when the submitted key is or was bound to a device, this one included
     */
    @Transactional
    public Outcome provision(String eui64Text, String templateReference, DeviceKeySubmission submitted) {
        return metrics.count(null, templateReference, () -> {
            Eui64 eui64 = parseEui64(eui64Text, "eui64");
            return provision(eui64, devices.findByEui64(eui64), templateReference, submitted);
        });
    }

    /**
     * Provisions {@code eui64Text} from {@code template} for {@code caller}, within its {@link CallerRules}.
     *
     * @throws DeviceExistsException also for a device the caller may not act on (another station's)
     * @throws PublicKeyInUseException naming the device holding the key only to a caller who may act on it; and
     *     whatever {@link #provision(String, String, DeviceKeySubmission)} and the rules throw
     */
    @Transactional
    public Outcome provision(Caller caller, String eui64Text, String template, DeviceKeySubmission submitted) {
        return metrics.count(caller, template, () -> provisionWithinRules(caller, eui64Text, template, submitted));
    }

    /**
     * Provisions {@code eui64} for {@code caller} as {@link #provision(Caller, String, String, DeviceKeySubmission)}
     * does, for a batch's chunk that checked the template against the caller's rules once for all its items and
     * read its devices in one query: {@code existing} is the device row as this transaction read it.
     */
    @Transactional
    public Outcome provisionChecked(Caller caller, Eui64 eui64, Optional<Device> existing, String template) {
        return metrics.count(caller, template, () -> provisionChecked(caller, eui64, existing, template,
                DeviceKeySubmission.NONE));
    }

    /**
     * Provisions devices that do not exist yet, for a batch's chunk that checked the template against the caller's
     * rules and found none of the EUI-64s (distinct) among the devices: the devices inserted in one JDBC batch, then
     * each one's credentials made (key pairs and certificates here) and, while the chunk collects its writes
     * ({@link dev.fleetkey.service.system.ChunkWrites}), queued for one batch per table. Answers the devices in the
     * order given; {@link #countCreated} counts them once the chunk keeps them.
     *
     * @throws org.springframework.dao.DuplicateKeyException when an EUI-64 was provisioned meanwhile (the caller
     *     rolls back and provisions the items one by one)
     */
    @Transactional
    public List<Device> provisionNew(Caller caller, List<Eui64> eui64s, String templateReference) {
        DeviceTemplate template = findTemplate(templateReference);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        List<Device> made = devices.insertDevices(eui64s, template.id(), template.version(),
                caller instanceof Caller.Station station ? station.stationId() : null, now);
        for (Device device : made) {
            minter.mintAll(device, template, null, now);
            audit.record("device.provisioned", "device:" + device.eui64().canonical() + " template:"
                    + template.reference());
            rules.recordProvisioned(caller, device);
        }
        return made;
    }

    /** Counts {@code devices} provisioned by {@link #provisionNew} as created. */
    public void countCreated(Caller caller, String template, int devices) {
        metrics.created(caller, template, devices);
    }

    private Outcome provisionWithinRules(Caller caller, String eui64Text, String template, DeviceKeySubmission submitted) {
        Eui64 eui64 = parseEui64(eui64Text, "eui64");
        if (template != null && !template.isBlank()) {
            rules.checkTemplate(caller, template.trim().split("@", 2)[0]);
        }
        return provisionChecked(caller, eui64, devices.findByEui64(eui64), template, submitted);
    }

    private Outcome provisionChecked(Caller caller, Eui64 eui64, Optional<Device> existing, String template,
            DeviceKeySubmission submitted) {
        if (existing.isPresent() && !rules.mayAccess(caller, existing.get())) {
            throw new DeviceExistsException(eui64, false, "Device " + eui64 + " was provisioned by another station or an"
                    + " administrator; it keeps its identity. Check the EUI-64 on the label");
        }
        Outcome outcome;
        try {
            outcome = provision(eui64, existing, template, submitted,
                    caller instanceof Caller.Station station ? station.stationId() : null);
        } catch (PublicKeyInUseException e) {
            // which device holds a key is another station's business: name it only to a caller who may act on it
            boolean mayKnow = e.holder().map(holder -> rules.mayAccess(caller, holder))
                    .orElse(caller instanceof Caller.User);
            throw mayKnow ? e : e.withoutHolder();
        }
        // a device re-provisioned under policy replace keeps the caller that first made it
        if (outcome.created() && existing.isEmpty()) {
            rules.recordProvisioned(caller, outcome.device());
        }
        return outcome;
    }

    /**
     * The device, if {@code caller} may see it. Another station's device answers like an unknown one, so a
     * station cannot probe which EUI-64s exist elsewhere.
     *
     * @throws DeviceNotFoundException for an unknown device or one the caller may not see
     */
    public Device visibleDevice(Caller caller, String eui64Text) {
        Eui64 eui64 = parseEui64(eui64Text, "eui64");
        return devices.findByEui64(eui64).filter(d -> rules.mayAccess(caller, d))
                .orElseThrow(() -> new DeviceNotFoundException(eui64, "No device " + eui64 + " provisioned by "
                        + (caller instanceof Caller.Station s ? "station '" + s.name() + "'" : "anyone")));
    }

    /**
     * Provisions {@code eui64}, given what the caller's transaction read for it: {@code existing} must be the
     * device row as read in this transaction (a station checks who owns it first and passes it on).
     *
     * @see #provision(String, String, DeviceKeySubmission)
     */
    @Transactional
    public Outcome provision(Eui64 eui64, Optional<Device> existing, String templateReference,
            DeviceKeySubmission submitted) {
        return provision(eui64, existing, templateReference, submitted, null);
    }

    /** As above; a new device records {@code stationId} (null for a user) as the station that made it. */
    private Outcome provision(Eui64 eui64, Optional<Device> existing, String templateReference,
            DeviceKeySubmission submitted, Long stationId) {
        DeviceTemplate template = findTemplate(templateReference);
        PublicKey deviceKey = checkedKey(template, submitted, eui64);
        try {
            if (existing.isPresent()) {
                return reprovision(existing.get(), template, deviceKey);
            }
            // the database keeps microseconds: answer with the value a later GET will show
            Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
            Device device = devices.insertDevice(eui64, template.id(), template.version(), stationId, now);
            minter.mintAll(device, template, deviceKey, now);
            audit.record("device.provisioned", "device:" + eui64.canonical() + " template:" + template.reference()
                    + (deviceKey != null ? " key:device" : ""));
            return new Outcome(device, true);
        } catch (PublicKeyInUseException e) {
            throw e.inField(submitted == null ? null : submitted.field());
        }
    }

    /** Parses any accepted EUI-64 spelling, or throws {@link InvalidFieldException} naming {@code field}. */
    public static Eui64 parseEui64(String text, String field) {
        RequestText.exact(field, text);
        try {
            return Eui64.parse(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidFieldException(field, e.getMessage());
        }
    }

    /** A submitted key only makes sense for a template with an rpk or x509 server; a CSR must be for {@code eui64}. */
    PublicKey checkedKey(DeviceTemplate template, DeviceKeySubmission submitted, Eui64 eui64) {
        if (submitted == null || !submitted.present()) {
            return null;
        }
        if (template.servers().stream().allMatch(s -> s.mode() == DeviceTemplate.Mode.PSK)) {
            throw new InvalidFieldException(submitted.publicKey() != null ? "publicKey" : "csr", "Template "
                    + template.reference() + " has only psk servers, which use no device key pair: leave out "
                    + "publicKey and csr, or choose a template with an rpk or x509 server");
        }
        return submitted.check(publicKeys, eui64);
    }

    DeviceTemplate findTemplate(String reference) {
        if (reference == null || reference.isBlank()) {
            throw new InvalidFieldException("template", "template is missing: give a template id such as "
                    + knownTemplates() + " (or id@version)");
        }
        return templates.find(RequestText.exact("template", reference)).orElseThrow(() -> new InvalidFieldException("template",
                "Unknown template '" + abbreviate(reference) + "': known templates are " + knownTemplates()));
    }

    private Outcome reprovision(Device device, DeviceTemplate template, PublicKey deviceKey) {
        if (template.reprovisionPolicy() == DeviceTemplate.ReprovisionPolicy.RETURN_EXISTING
                && device.templateReference().equals(template.reference())) {
            return new Outcome(device, false);
        }
        if (template.reprovisionPolicy() == DeviceTemplate.ReprovisionPolicy.REPLACE) {
            return new Outcome(rotation.replace(device, template, deviceKey), true);
        }
        throw new DeviceExistsException(device.eui64(), true, "Device " + device.eui64() + " is already provisioned"
                + " (template " + device.templateReference() + "); it keeps its identity");
    }

    private String knownTemplates() {
        String known = templates.all().stream().map(DeviceTemplate::reference).collect(Collectors.joining(", "));
        return known.isEmpty() ? "(none loaded: add a template to fleetkey.templates-dir)" : known;
    }

    private static String abbreviate(String s) {
        String shown = s.length() > 64 ? s.substring(0, 64) + "..." : s;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }
}
