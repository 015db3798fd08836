package dev.fleetkey.bundle.update;

import dev.fleetkey.bundle.BundleException;

/**
 * A fleet bundle that could leave the device unable to authenticate a server or to be authenticated:
 * see {@link FleetRotation} for the rules. {@link #rule()} names the rule that was broken.
 */
public final class RotationRefusedException extends BundleException {

    /** The rotation rules a fleet bundle can break. */
    public enum Rule {
        /** A certificate server would have no currently valid trust anchor. */
        NO_VALID_ANCHOR,
        /** A raw-public-key server would have no key and no pin. */
        NO_PIN,
        /** A server's anchors (or pins) would be replaced without overlap: add the new beside the old first. */
        NO_OVERLAP,
        /** An anchor the device's own certificate chain chains to would be dropped. */
        ANCHOR_IN_USE
    }

    private final Rule rule;
    private final String server;

    public RotationRefusedException(Rule rule, String server, String message) {
        super("rotation-" + rule.name().toLowerCase().replace('_', '-'), "fleet bundle refused for server '" + server + "': " + message);
        this.rule = rule;
        this.server = server;
    }

    /** The rule that was broken. */
    public Rule rule() {
        return rule;
    }

    /** The server entry concerned. */
    public String server() {
        return server;
    }
}
