package dev.fleetkey.service;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class FleetkeyApplication {

    public static void main(String[] args) {
        SpringApplication.run(FleetkeyApplication.class, args);
    }
}
