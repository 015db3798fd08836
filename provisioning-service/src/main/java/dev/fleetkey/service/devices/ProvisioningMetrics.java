package dev.fleetkey.service.devices;

import dev.fleetkey.service.callers.Caller;
import dev.fleetkey.service.credentials.PskIdentityInUseException;
import dev.fleetkey.service.system.FleetkeyException;
import dev.fleetkey.service.templates.DeviceTemplate;
import dev.fleetkey.service.templates.TemplateCatalog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Component;

/**
 * {@code fleetkey_provisionings_total{station, mode, outcome}}: every provisioning request as the service
 * answered it, for a line supervisor's graphs. {@code station} is the station's name ({@value #USER} for a user),
 * {@code mode} the credential modes of the template's servers ({@code psk}, {@code rpk}, {@code x509}, joined by
 * {@code +}; {@code unknown} for a template that does not exist), {@code outcome} one of {@code created},
 * {@code existing} (return-existing or replace), {@code conflict} (the EUI-64, identity or key is taken),
 * {@code refused} (a request to fix) or {@code failed} (the service failed).
 */
@Component
class ProvisioningMetrics {

    static final String NAME = "fleetkey.provisionings";
    static final String USER = "(user)";

    private final MeterRegistry registry;
    private final TemplateCatalog templates;

    ProvisioningMetrics(MeterRegistry registry, TemplateCatalog templates) {
        this.registry = registry;
        this.templates = templates;
    }

    /**
     * Runs {@code provisioning} and counts its outcome. The template is looked up first: after a refused insert a
     * PostgreSQL transaction answers no more queries.
     */
    DeviceProvisioning.Outcome count(Caller caller, String template, Supplier<DeviceProvisioning.Outcome> provisioning) {
        String mode = mode(template);
        String outcome = "failed";
        try {
            DeviceProvisioning.Outcome done = provisioning.get();
            outcome = done.created() ? "created" : "existing";
            return done;
        } catch (DeviceExistsException | PublicKeyInUseException | PskIdentityInUseException
                | DataIntegrityViolationException e) {
            outcome = "conflict";
            throw e;
        } catch (FleetkeyException e) {
            outcome = "refused";
            throw e;
        } finally {
            counter(caller, mode, outcome).increment();
        }
    }

    /** Counts {@code devices} provisionings of a batch's chunk that all created their device. */
    void created(Caller caller, String template, int devices) {
        counter(caller, mode(template), "created").increment(devices);
    }

    private Counter counter(Caller caller, String mode, String outcome) {
        return Counter.builder(NAME).description("Device provisioning requests by station, credential mode and outcome")
                .tag("station", caller instanceof Caller.Station s ? s.name() : USER)
                .tag("mode", mode)
                .tag("outcome", outcome)
                .register(registry);
    }

    private String mode(String template) {
        if (template == null || template.isBlank()) {
            return "unknown";
        }
        return templates.find(template.strip()).map(ProvisioningMetrics::modes).orElse("unknown");
    }

    private static String modes(DeviceTemplate template) {
        return template.servers().stream().map(s -> s.mode().yamlName()).distinct().sorted().collect(Collectors.joining("+"));
    }
}
