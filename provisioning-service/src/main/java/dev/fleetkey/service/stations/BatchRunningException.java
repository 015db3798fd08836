package dev.fleetkey.service.stations;

import dev.fleetkey.service.system.FleetkeyException;

/** A batch's manifest was asked for while the batch still runs; the caller asks for the batch again later. */
public final class BatchRunningException extends FleetkeyException {

    private static final long serialVersionUID = 1L;

    private final long batchId;

    public BatchRunningException(long batchId) {
        super("batch-running", "Batch " + batchId + " is still running: its manifest is signed when every item is done");
        this.batchId = batchId;
    }

    public long batchId() {
        return batchId;
    }
}
