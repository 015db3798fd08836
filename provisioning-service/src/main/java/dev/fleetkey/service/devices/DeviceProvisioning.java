package dev.fleetkey.service.devices;

import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.service.system.ApiException;
import dev.fleetkey.service.system.AuditTrail;
import dev.fleetkey.service.templates.DeviceTemplate;
import dev.fleetkey.service.templates.TemplateCatalog;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Creates a device and its credentials in one transaction: after any failure nothing of it is left.
 */
@Service
public class DeviceProvisioning {

    private static final int IDENTITY_ATTEMPTS = 5;

    private final DeviceRepository devices;
    private final TemplateCatalog templates;
    private final PskSealing sealing;
    private final AuditTrail audit;
    private final SecureRandom random = new SecureRandom();

    DeviceProvisioning(DeviceRepository devices, TemplateCatalog templates, PskSealing sealing, AuditTrail audit) {
        this.devices = devices;
        this.templates = templates;
        this.sealing = sealing;
        this.audit = audit;
    }

    /** What provisioning did: the device, and whether it was made now or existed (return-existing). */
    public record Outcome(Device device, boolean created) {
    }

    /**
     * Provisions {@code eui64Text} from {@code templateReference} ({@code id} or {@code id@version}).
     *
     * @throws ApiException 400 naming the field for a bad EUI-64 or an unknown template, 409 when the
     *     device exists and its template's policy is {@code fail}, 422 when the template needs a
     *     credential mode not supported yet
     */
    @Transactional
    public Outcome provision(String eui64Text, String templateReference) {
        Eui64 eui64 = parseEui64(eui64Text, "eui64");
        DeviceTemplate template = findTemplate(templateReference);
        var existing = devices.findByEui64(eui64);
        if (existing.isPresent()) {
            return reprovision(existing.get(), template);
        }
        for (DeviceTemplate.Server server : template.servers()) {
            if (server.mode() != DeviceTemplate.Mode.PSK) {
                throw ApiException.unprocessable("mode-not-supported", "Template " + template.reference() + " gives server '"
                        + server.name() + "' mode " + server.mode().yamlName() + "; this service version provisions psk only");
            }
        }
        // the database keeps microseconds: answer with the value a later GET will show
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Device device = devices.insertDevice(eui64, template.id(), template.version(), now);
        for (DeviceTemplate.Server server : template.servers()) {
            createPsk(device, server, now);
        }
        audit.record("device.provisioned", "device:" + eui64.canonical() + " template:" + template.reference());
        return new Outcome(device, true);
    }

    /** Parses any accepted EUI-64 spelling, or answers 400 naming {@code field}. */
    public static Eui64 parseEui64(String text, String field) {
        try {
            return Eui64.parse(text);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalidField(field, e.getMessage());
        }
    }

    private DeviceTemplate findTemplate(String reference) {
        if (reference == null || reference.isBlank()) {
            throw ApiException.invalidField("template", "template is missing: give a template id such as "
                    + knownTemplates() + " (or id@version)");
        }
        return templates.find(reference.trim()).orElseThrow(() -> ApiException.invalidField("template",
                "Unknown template '" + abbreviate(reference) + "': known templates are " + knownTemplates()));
    }

    private Outcome reprovision(Device device, DeviceTemplate template) {
        if (template.reprovisionPolicy() == DeviceTemplate.ReprovisionPolicy.RETURN_EXISTING
                && device.templateReference().equals(template.reference())) {
            return new Outcome(device, false);
        }
        throw ApiException.conflict("device-exists", "Device " + device.eui64() + " is already provisioned (template "
                + device.templateReference() + "); it keeps its identity. Fetch it with GET /api/v1/devices/"
                + device.eui64() + " or its bundle with GET /api/v1/devices/" + device.eui64() + "/bundle");
    }

    private void createPsk(Device device, DeviceTemplate.Server server, Instant now) {
        DeviceTemplate.Psk settings = server.psk();
        byte[] identity = newIdentity(device.eui64(), settings);
        byte[] key = new byte[settings.keyLength()];
        random.nextBytes(key);
        try {
            SealedKey sealed = sealing.seal(key, DevicePsks.sealingContext(device.eui64(), server.name()));
            devices.insertPskCredential(device.id(), server.name(), identity, sealed, now);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /**
     * A random identity is checked against every identity ever issued and drawn again on the
     * (astronomically rare) collision; the unique constraint still guards a race.
     */
    private byte[] newIdentity(Eui64 eui64, DeviceTemplate.Psk settings) {
        if (settings.identity() == DeviceTemplate.IdentityKind.EUI64) {
            return eui64.toBytes();
        }
        for (int attempt = 0; attempt < IDENTITY_ATTEMPTS; attempt++) {
            byte[] identity = new byte[settings.identityLength()];
            random.nextBytes(identity);
            if (!devices.pskIdentityExists(identity)) {
                return identity;
            }
        }
        throw new IllegalStateException("No unused PSK identity after " + IDENTITY_ATTEMPTS + " random draws");
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
