package dev.fleetkey.service.stations;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a controller whose mappings apply only to requests a station makes; {@link StationHandlerMapping}
 * serves them ahead of the ordinary controllers for the same paths.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@interface StationEndpoint {
}
