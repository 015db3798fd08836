package dev.fleetkey.service.audit;

/** A checkpoint (stored or supplied) that is not a checkpoint signed by this service; the message says why. */
public final class InvalidCheckpointException extends Exception {

    InvalidCheckpointException(String message) {
        super(message);
    }
}
