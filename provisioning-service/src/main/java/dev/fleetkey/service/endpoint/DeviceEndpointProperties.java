package dev.fleetkey.service.endpoint;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code fleetkey.device-endpoint.*}: where the coaps device endpoint listens.
 *
 * @param enabled     whether to start it (default true)
 * @param port        UDP port (default 5684, the coaps port; 0 picks a free one)
 * @param bindAddress local address to bind (default 0.0.0.0, every interface)
 * @param serverName  the server name the endpoint's credential is kept under, as device bundles name it
 *                    (default fleetkey)
 * @param host        the DNS name in the endpoint's certificate, which X.509 devices match (default localhost)
 * @param changePoll  how often the endpoint reads which devices were revoked or rotated on any instance, and
 *                    re-reads its own server credentials (default 1s): the longest another instance's change
 *                    waits to take effect here
 * @param cacheCapacity most devices kept in memory per credential kind (default 200000)
 */
@ConfigurationProperties("fleetkey.device-endpoint")
public record DeviceEndpointProperties(@DefaultValue("true") boolean enabled, @DefaultValue("5684") int port,
                                       @DefaultValue("0.0.0.0") String bindAddress,
                                       @DefaultValue("fleetkey") String serverName,
                                       @DefaultValue("localhost") String host,
                                       @DefaultValue("1s") Duration changePoll,
                                       @DefaultValue("200000") int cacheCapacity) {

    public DeviceEndpointProperties {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("fleetkey.device-endpoint.port must be 0..65535, was " + port);
        }
        if (bindAddress == null || bindAddress.isBlank()) {
            throw new IllegalArgumentException("fleetkey.device-endpoint.bind-address must not be empty");
        }
        if (serverName == null || serverName.isBlank()) {
            throw new IllegalArgumentException("fleetkey.device-endpoint.server-name must not be empty: name the "
                    + "server the device bundles list for this endpoint (default fleetkey)");
        }
        if (changePoll == null || changePoll.compareTo(Duration.ofMillis(50)) < 0
                || changePoll.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("fleetkey.device-endpoint.change-poll is " + changePoll
                    + ": set 50ms..1m (default 1s); revocations on other instances wait up to this long");
        }
        if (cacheCapacity < 1) {
            throw new IllegalArgumentException("fleetkey.device-endpoint.cache-capacity is " + cacheCapacity
                    + ": set at least 1 (default 200000)");
        }
        if (host == null || host.isBlank() || host.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("fleetkey.device-endpoint.host is '" + host + "': set the DNS name "
                    + "devices connect to (default localhost)");
        }
    }
}
