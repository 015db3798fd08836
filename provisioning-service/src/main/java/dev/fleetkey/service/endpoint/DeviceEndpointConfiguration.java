package dev.fleetkey.service.endpoint;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the device endpoint when {@code fleetkey.device-endpoint.enabled} is true (the default). The
 * {@link DeviceCredentialDirectory} comes from the devices feature.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DeviceEndpointProperties.class)
class DeviceEndpointConfiguration {

    @Bean
    @ConditionalOnProperty(prefix = "fleetkey.device-endpoint", name = "enabled", havingValue = "true",
            matchIfMissing = true)
    DeviceEndpointLifecycle deviceEndpointLifecycle(DeviceEndpointProperties properties,
                                                    DeviceCredentialDirectory directory) {
        return new DeviceEndpointLifecycle(properties, directory);
    }
}
