package dev.fleetkey.service.callers;

/** An authentication that knows its caller itself (a station's or an API token's); others are read by role. */
public interface CallerAuthentication {

    Caller caller();
}
