package dev.fleetkey.service.health;

import dev.fleetkey.service.endpoint.DeviceEndpointLifecycle;
import java.net.InetSocketAddress;
import java.util.Optional;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * {@code deviceEndpoint}: UP once the coaps endpoint has bound its UDP port, OUT_OF_SERVICE before that and
 * after it stopped (HTTP answers earlier than UDP during start-up, so readiness must wait for this). A service
 * run with {@code fleetkey.device-endpoint.enabled=false} is UP and says the endpoint is off.
 */
class DeviceEndpointHealthIndicator implements HealthIndicator {

    private final Optional<DeviceEndpointLifecycle> endpoint;

    DeviceEndpointHealthIndicator(Optional<DeviceEndpointLifecycle> endpoint) {
        this.endpoint = endpoint;
    }

    @Override
    public Health health() {
        if (endpoint.isEmpty()) {
            return Health.up().withDetail("enabled", false).build();
        }
        Optional<InetSocketAddress> bound = bound(endpoint.get());
        if (bound.isEmpty()) {
            return Health.status(Status.OUT_OF_SERVICE).withDetail("enabled", true)
                    .withDetail("listening", false).build();
        }
        return Health.up().withDetail("enabled", true).withDetail("listening", true)
                .withDetail("address", "coaps://" + bound.get().getHostString() + ":" + bound.get().getPort()).build();
    }

    private static Optional<InetSocketAddress> bound(DeviceEndpointLifecycle lifecycle) {
        if (!lifecycle.isRunning()) {
            return Optional.empty();
        }
        try {
            return Optional.of(lifecycle.boundAddress());
        } catch (IllegalStateException stoppedMeanwhile) {
            return Optional.empty();
        }
    }
}
