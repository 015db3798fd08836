package dev.fleetkey.service.health;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import org.eclipse.californium.scandium.DtlsHealth;

/**
 * DTLS handshakes of the coaps endpoint as Micrometer counters, handed to Scandium as its health handler:
 * {@code fleetkey_endpoint_handshakes_total{outcome="succeeded"|"refused"}}. A refused handshake is one the
 * endpoint ended with an alert: an unknown or revoked PSK identity, a wrong key, a certificate or raw key it does
 * not accept. The endpoint is built without Spring, so the counters go to Micrometer's global registry, which
 * Spring Boot's Prometheus registry is part of.
 */
public final class DeviceEndpointMetrics implements DtlsHealth {

    static final String HANDSHAKES = "fleetkey.endpoint.handshakes";

    private final Counter succeeded;
    private final Counter refused;

    public DeviceEndpointMetrics() {
        this(Metrics.globalRegistry);
    }

    DeviceEndpointMetrics(MeterRegistry registry) {
        this.succeeded = Counter.builder(HANDSHAKES).description("DTLS handshakes at the coaps endpoint")
                .tag("outcome", "succeeded").register(registry);
        this.refused = Counter.builder(HANDSHAKES).description("DTLS handshakes at the coaps endpoint")
                .tag("outcome", "refused").register(registry);
    }

    @Override
    public void endHandshake(boolean success) {
        (success ? succeeded : refused).increment();
    }

    @Override
    public void startHandshake() {
        // counted when it ends, with its outcome
    }

    @Override
    public void receivingRecord(boolean drop) {
        // records are not counted
    }

    @Override
    public void sendingRecord(boolean drop) {
        // records are not counted
    }

    @Override
    public void dump(String tag, int maxConnections, int remainingCapacity, int pendingWithoutVerify) {
        // Prometheus scrapes the counters; nothing is logged
    }

    @Override
    public boolean isEnabled() {
        return true;
    }
}
