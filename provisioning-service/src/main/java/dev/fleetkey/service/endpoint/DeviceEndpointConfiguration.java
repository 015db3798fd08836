package dev.fleetkey.service.endpoint;

import java.util.Optional;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the device endpoint when {@code fleetkey.device-endpoint.enabled} is true (the default). The
 * {@link DeviceCredentialDirectory} comes from the devices feature (cached, and kept current through the
 * {@link CredentialChangeLog}); an {@link EndpointCredentialSource} bean (the server credentials of the PKI), when
 * there is one, turns on the raw-public-key and certificate modes; a {@link DeviceRequests} bean (the check-ins
 * feature) adds {@code POST /checkin} and {@code GET /config}; a {@link DeviceEnrollment} bean (the EST feature)
 * adds {@code /.well-known/est/*} and {@code /crl}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DeviceEndpointProperties.class)
class DeviceEndpointConfiguration {

    @Bean
    @ConditionalOnProperty(prefix = "fleetkey.device-endpoint", name = "enabled", havingValue = "true",
            matchIfMissing = true)
    DeviceEndpointLifecycle deviceEndpointLifecycle(DeviceEndpointProperties properties,
                                                    DeviceCredentialDirectory directory,
                                                    ObjectProvider<EndpointCredentialSource> credentials,
                                                    ObjectProvider<DeviceRequests> requests,
                                                    ObjectProvider<DeviceEnrollment> enrollment,
                                                    CredentialChangeLog changes) {
        return new DeviceEndpointLifecycle(properties, directory, Optional.ofNullable(credentials.getIfAvailable()),
                Optional.ofNullable(requests.getIfAvailable()), Optional.ofNullable(enrollment.getIfAvailable()),
                changes);
    }
}
