package dev.fleetkey.runtime;

/**
 * The bundle's entry for a server cannot be used by this runtime: an unsupported credential mode or
 * cipher suite, a server URI without host or port, or a host name that does not resolve.
 */
public final class ServerConfigurationException extends DeviceRuntimeException {

    /** @param message what is wrong with the server entry, naming the field */
    public ServerConfigurationException(String message) {
        super(message);
    }
}
