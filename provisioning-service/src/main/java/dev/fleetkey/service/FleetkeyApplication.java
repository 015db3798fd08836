package dev.fleetkey.service;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The Fleetkey provisioning service: REST API, admin UI and (when enabled) the coaps device endpoint. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class FleetkeyApplication {

    public static void main(String[] args) {
        SpringApplication.run(FleetkeyApplication.class, args);
    }
}
