package dev.fleetkey.service.audit;

/** The audit chain does not extend its newest checkpoint, so no new checkpoint was signed; says what is wrong. */
public final class ChainBrokenException extends Exception {

    ChainBrokenException(String problem) {
        super("The audit chain is broken, so no checkpoint was signed: " + problem
                + ". Run GET /api/v1/audit/verify to see the first bad entry");
    }
}
