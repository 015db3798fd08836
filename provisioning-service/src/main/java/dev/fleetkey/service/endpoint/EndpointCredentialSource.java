package dev.fleetkey.service.endpoint;

/**
 * Where the endpoint reads its own credentials: asked at start and again on every poll of
 * {@link CredentialChangeWatcher}, so a rotated or renewed server credential is served without a restart.
 * Answers quickly (from the key store's cache), and answers an equal value while nothing changed.
 */
@FunctionalInterface
public interface EndpointCredentialSource {

    /** The endpoint's credentials as they are now. */
    EndpointCredentials current();
}
