package dev.fleetkey.service.endpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/** Starts and stops the {@link DeviceEndpoint} with the Spring context. */
public class DeviceEndpointLifecycle implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceEndpointLifecycle.class);

    private final DeviceEndpoint endpoint;
    private final CredentialChangeWatcher watcher;

    /**
     * The service's endpoint: lookups cached in memory ({@link CachedCredentialDirectory}) and kept current by
     * polling {@code changes} every {@code fleetkey.device-endpoint.change-poll}; its own credentials re-read
     * from {@code credentials} on every poll.
     */
    public DeviceEndpointLifecycle(DeviceEndpointProperties properties, DeviceCredentialDirectory directory,
                                   Optional<EndpointCredentialSource> credentials, Optional<DeviceRequests> requests,
                                   Optional<DeviceEnrollment> enrollment, CredentialChangeLog changes) {
        CachedCredentialDirectory cache = new CachedCredentialDirectory(directory, Clock.systemUTC(),
                properties.cacheCapacity());
        this.endpoint = new DeviceEndpoint(bindAddress(properties), cache,
                credentials.map(EndpointCredentialSource::current), requests, enrollment);
        this.watcher = new CredentialChangeWatcher(changes, cache, endpoint, credentials, properties.changePoll());
    }

    @Override
    public void start() {
        try {
            endpoint.start();
            watcher.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage() + "; set fleetkey.device-endpoint.port to a free port, "
                    + "or fleetkey.device-endpoint.enabled=false", e);
        }
        LOG.info("Device endpoint listening on coaps://{}:{} (UDP, DTLS 1.2)",
                endpoint.boundAddress().getHostString(), endpoint.boundAddress().getPort());
    }

    @Override
    public void stop() {
        watcher.close();
        endpoint.stop();
    }

    @Override
    public boolean isRunning() {
        return endpoint.isRunning();
    }

    /** Reads the change log now instead of at the next poll (tests). */
    public void pollChanges() {
        watcher.poll();
    }

    /** The address actually bound (the real port when 0 was configured). */
    public InetSocketAddress boundAddress() {
        return endpoint.boundAddress();
    }

    private static InetSocketAddress bindAddress(DeviceEndpointProperties properties) {
        try {
            return new InetSocketAddress(InetAddress.getByName(properties.bindAddress()), properties.port());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("fleetkey.device-endpoint.bind-address '" + properties.bindAddress()
                    + "' is not an address of this host", e);
        }
    }
}
