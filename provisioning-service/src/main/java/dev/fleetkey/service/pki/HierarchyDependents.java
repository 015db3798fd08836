package dev.fleetkey.service.pki;

/**
 * What depends on the current CA hierarchy outside this feature: the devices feature counts the credentials it
 * holds that a new hierarchy would break (device certificates, raw public keys whose bundles pin a server key).
 */
public interface HierarchyDependents {

    /** How many stored credentials depend on the current hierarchy. */
    long credentialsDependingOnHierarchy();
}
