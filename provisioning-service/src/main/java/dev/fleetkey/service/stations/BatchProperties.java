package dev.fleetkey.service.stations;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code fleetkey.batches.*}: how batches run.
 *
 * @param chunkSize items provisioned per transaction and durable commit, 1 to {@value #MAX_CHUNK_SIZE}; each item
 *                  still succeeds or fails on its own and is reported done once its chunk is committed
 */
@ConfigurationProperties("fleetkey.batches")
public record BatchProperties(@DefaultValue("200") int chunkSize) {

    static final int MAX_CHUNK_SIZE = 1_000;

    public BatchProperties {
        if (chunkSize < 1 || chunkSize > MAX_CHUNK_SIZE) {
            throw new IllegalArgumentException("fleetkey.batches.chunk-size is " + chunkSize + ": give 1 to "
                    + MAX_CHUNK_SIZE + " items per transaction (default 200)");
        }
    }
}
