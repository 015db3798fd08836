package dev.fleetkey.service.firmware;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The per product line fleet bundle counter ({@code fleet_sequences}) that firmware releases and the device
 * endpoint's own fleet bundles share, so a later release always has a higher sequence than what came before.
 */
@Repository
public class FleetSequences {

    private final JdbcClient jdbc;

    FleetSequences(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The next sequence of {@code productLine}, starting at 1; the row stays locked until commit. */
    public long next(String productLine) {
        int updated = jdbc.sql("UPDATE fleet_sequences SET last_sequence = last_sequence + 1 WHERE product_line = :line")
                .param("line", productLine).update();
        if (updated == 0) {
            jdbc.sql("INSERT INTO fleet_sequences (product_line, last_sequence) VALUES (:line, 1)")
                    .param("line", productLine).update();
        }
        return jdbc.sql("SELECT last_sequence FROM fleet_sequences WHERE product_line = :line")
                .param("line", productLine).query(Long.class).single();
    }
}
