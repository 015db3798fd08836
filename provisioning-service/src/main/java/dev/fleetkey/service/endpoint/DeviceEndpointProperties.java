package dev.fleetkey.service.endpoint;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code fleetkey.device-endpoint.*}: where the coaps device endpoint listens.
 *
 * @param enabled     whether to start it (default true)
 * @param port        UDP port (default 5684, the coaps port; 0 picks a free one)
 * @param bindAddress local address to bind (default 0.0.0.0, every interface)
 */
@ConfigurationProperties("fleetkey.device-endpoint")
public record DeviceEndpointProperties(@DefaultValue("true") boolean enabled, @DefaultValue("5684") int port,
                                       @DefaultValue("0.0.0.0") String bindAddress) {

    public DeviceEndpointProperties {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("fleetkey.device-endpoint.port must be 0..65535, was " + port);
        }
        if (bindAddress == null || bindAddress.isBlank()) {
            throw new IllegalArgumentException("fleetkey.device-endpoint.bind-address must not be empty");
        }
    }
}
