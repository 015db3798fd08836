package dev.fleetkey.service.est;

import dev.fleetkey.bundle.CredentialMode;
import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.service.devices.Device;
import dev.fleetkey.service.devices.DeviceRepository;
import dev.fleetkey.service.devices.DeviceRevokedException;
import dev.fleetkey.service.devices.TemplateMissingException;
import dev.fleetkey.service.endpoint.DeviceEnrollment.Enrollee;
import dev.fleetkey.service.templates.DeviceTemplate;
import dev.fleetkey.service.templates.TemplateCatalog;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BinaryOperator;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * Who may enroll, as the device's template says ({@code est.*}): a device authenticated by a factory certificate
 * of a manufacturer CA its template trusts (a device never provisioned only when a trusting template says
 * {@code unknown-devices: provision}), or by a credential Fleetkey issued when {@code re-enroll} is on. A
 * revoked device is refused either way.
 */
@Component
class EnrollmentPolicy {

    private final DeviceRepository devices;
    private final TemplateCatalog templates;
    private final FactoryTrust factoryTrust;

    EnrollmentPolicy(DeviceRepository devices, TemplateCatalog templates, FactoryTrust factoryTrust) {
        this.devices = devices;
        this.templates = templates;
        this.factoryTrust = factoryTrust;
    }

    /**
     * What an allowed enrollment does.
     *
     * @param template      the device's template, or the one to provision it from
     * @param provisionFrom the template to create the device from, or null for a device that exists
     * @param overlap       how long the certificates it replaces keep working
     */
    record Decision(DeviceTemplate template, DeviceTemplate provisionFrom, Duration overlap) {
    }

    /**
     * @param reEnroll {@code /sren}: renews the Fleetkey certificate the session authenticated with
     * @throws EnrollmentRefusedException naming the template rule that refuses
     * @throws DeviceRevokedException for a revoked device
     */
    Decision decide(Enrollee enrollee, boolean reEnroll) {
        Eui64 eui64 = enrollee.session().device();
        Optional<Device> device = devices.findByEui64(eui64);
        if (device.isPresent() && device.get().state() == Device.State.REVOKED) {
            throw new DeviceRevokedException(eui64, "Device " + eui64 + " is revoked and gets no certificate; an"
                    + " administrator provisions it anew to bring it back");
        }
        if (enrollee.factory()) {
            if (reEnroll) {
                throw new EnrollmentRefusedException("/sren renews a certificate Fleetkey issued; this session"
                        + " authenticated with a factory certificate: enroll with /sen");
            }
            return device.map(d -> factoryKnown(enrollee, d)).orElseGet(() -> factoryUnknown(enrollee));
        }
        if (reEnroll && enrollee.session().mode() != CredentialMode.X509) {
            throw new EnrollmentRefusedException("/sren renews the certificate this DTLS session authenticated with;"
                    + " this session used a " + enrollee.session().mode() + " credential: enroll with /sen");
        }
        Device known = device.orElseThrow(() -> new EnrollmentRefusedException("Device " + eui64 + " is unknown"));
        DeviceTemplate template = templateOf(known);
        if (!template.est().reEnroll()) {
            throw new EnrollmentRefusedException("Template " + template.reference() + " does not let its devices"
                    + " renew certificates over EST (est.re-enroll: false); a station rotates them instead");
        }
        return new Decision(template, null, template.est().overlap());
    }

    /** How {@code /skg} hands out the key, for an enrollment {@link #decide} allowed. */
    DeviceTemplate.ServerKeys serverKeys(Enrollee enrollee, Decision decision) {
        DeviceTemplate.ServerKeys mode = decision.template().est().serverKeys();
        if (mode == DeviceTemplate.ServerKeys.OFF) {
            throw new EnrollmentRefusedException("Template " + decision.template().reference() + " does not make"
                    + " key pairs for its devices (est.server-keys: off): make the key on the device and use /sen");
        }
        if (decision.provisionFrom() != null) {
            throw new EnrollmentRefusedException("Device " + enrollee.session().device() + " is not provisioned yet:"
                    + " its first enrollment is /sen with a key it made");
        }
        if (mode == DeviceTemplate.ServerKeys.SEALED && enrollee.session().sessionKey() == null) {
            throw new EnrollmentRefusedException("Template " + decision.template().reference() + " seals server-made"
                    + " keys to the key the device authenticated with (est.server-keys: sealed); a PSK session has none:"
                    + " connect with a certificate or raw public key");
        }
        return mode;
    }

    private Decision factoryKnown(Enrollee enrollee, Device device) {
        DeviceTemplate template = templateOf(device);
        if (!FactoryTrust.validates(enrollee.factoryChain(), template.est().factoryCas())) {
            throw new EnrollmentRefusedException("Device " + device.eui64() + " was provisioned from template "
                    + template.reference() + ", which does not trust the manufacturer CA '" + issuer(enrollee)
                    + "' (est.factory-cas)");
        }
        return new Decision(template, null, template.est().overlap());
    }

    private Decision factoryUnknown(Enrollee enrollee) {
        List<DeviceTemplate> trusting = factoryTrust.templatesTrusting(enrollee.factoryChain());
        Map<String, DeviceTemplate> newest = trusting.stream()
                .filter(t -> t.est().unknownDevices() == DeviceTemplate.UnknownDevices.PROVISION)
                .collect(Collectors.toMap(DeviceTemplate::id, t -> t,
                        BinaryOperator.maxBy(Comparator.comparingInt(DeviceTemplate::version))));
        if (newest.isEmpty()) {
            throw new EnrollmentRefusedException("Device " + enrollee.session().device() + " is not provisioned, and"
                    + " the templates trusting its manufacturer CA (" + references(trusting) + ") say"
                    + " est.unknown-devices: refuse: a station provisions it first");
        }
        if (newest.size() > 1) {
            throw new EnrollmentRefusedException("Device " + enrollee.session().device() + " is not provisioned, and"
                    + " several templates would provision it (" + String.join(", ", newest.keySet().stream().sorted()
                    .toList()) + "): leave est.unknown-devices: provision in one template per manufacturer CA");
        }
        DeviceTemplate template = newest.values().iterator().next();
        return new Decision(template, template, template.est().overlap());
    }

    private DeviceTemplate templateOf(Device device) {
        return templates.find(device.templateReference())
                .orElseThrow(() -> new TemplateMissingException(device.eui64(), device.templateReference()));
    }

    private static String issuer(Enrollee enrollee) {
        return enrollee.factoryChain().get(0).getIssuerX500Principal().getName();
    }

    private static String references(List<DeviceTemplate> templates) {
        return templates.stream().map(DeviceTemplate::reference).sorted().collect(Collectors.joining(", "));
    }
}
