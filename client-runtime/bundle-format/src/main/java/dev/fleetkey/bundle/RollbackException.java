package dev.fleetkey.bundle;

/** The bundle's sequence number is not greater than the last one this device accepted. */
public final class RollbackException extends BundleException {

    private final long sequence;
    private final long lastAccepted;

    public RollbackException(long sequence, long lastAccepted) {
        super("rollback", "bundle sequence " + sequence + " is not greater than the last accepted " + lastAccepted
                + ": refusing a replay or rollback");
        this.sequence = sequence;
        this.lastAccepted = lastAccepted;
    }

    public long sequence() {
        return sequence;
    }

    public long lastAccepted() {
        return lastAccepted;
    }
}
