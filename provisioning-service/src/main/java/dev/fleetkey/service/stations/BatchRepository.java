package dev.fleetkey.service.stations;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.BatchPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;

/** Batch jobs and their items; progress is counted from the items, so it is never out of step with them. */
@Repository
class BatchRepository {

    /** A batch as stored, with its counts. */
    record Batch(long id, Long stationId, String principal, String template, String state, int total, int succeeded,
            int failed, Instant createdAt, Instant finishedAt) {
    }

    /** One requested EUI-64 and what became of it. */
    record Item(int index, String eui64, String result, String reason, byte[] bundleSha256) {
    }

    private final JdbcClient jdbc;
    private final JdbcTemplate template;

    BatchRepository(JdbcClient jdbc, JdbcTemplate template) {
        this.jdbc = jdbc;
        this.template = template;
    }

    long insert(Long stationId, String principal, String templateReference, List<String> eui64s, Instant now) {
        KeyHolder key = new GeneratedKeyHolder();
        jdbc.sql("""
                INSERT INTO batches (station_id, principal, template, state, total, created_at)
                VALUES (:station, :principal, :template, 'RUNNING', :total, :now)""")
                .param("station", stationId).param("principal", principal).param("template", templateReference)
                .param("total", eui64s.size()).param("now", utc(now))
                .update(key, "id");
        long id = key.getKeyAs(Long.class);
        template.batchUpdate("INSERT INTO batch_items (batch_id, item_index, eui64, result) VALUES (?, ?, ?, 'PENDING')",
                new BatchPreparedStatementSetter() {
                    @Override
                    public void setValues(PreparedStatement ps, int i) throws SQLException {
                        ps.setLong(1, id);
                        ps.setInt(2, i);
                        ps.setString(3, eui64s.get(i));
                    }

                    @Override
                    public int getBatchSize() {
                        return eui64s.size();
                    }
                });
        return id;
    }

    Optional<Batch> find(long id) {
        return jdbc.sql("""
                SELECT b.id, b.station_id, b.principal, b.template, b.state, b.total, b.created_at, b.finished_at,
                    (SELECT COUNT(*) FROM batch_items i WHERE i.batch_id = b.id AND i.result = 'PROVISIONED') AS succeeded,
                    (SELECT COUNT(*) FROM batch_items i WHERE i.batch_id = b.id AND i.result = 'FAILED') AS failed
                FROM batches b WHERE b.id = :id""")
                .param("id", id).query(BatchRepository::batch).optional();
    }

    List<Long> running() {
        return jdbc.sql("SELECT id FROM batches WHERE state = 'RUNNING' ORDER BY id").query(Long.class).list();
    }

    /**
     * Claims a running batch for {@code worker} until {@code until}, or renews its claim: only when no live claim of
     * another worker holds it.
     */
    boolean claim(long batchId, String worker, Instant now, Instant until) {
        return jdbc.sql("""
                UPDATE batches SET worker = :worker, lease_until = :until WHERE id = :id AND state = 'RUNNING'
                AND (worker IS NULL OR worker = :worker OR lease_until < :now)""")
                .param("worker", worker).param("until", utc(until)).param("id", batchId).param("now", utc(now))
                .update() == 1;
    }

    List<Item> items(long batchId) {
        return jdbc.sql("SELECT item_index, eui64, result, reason, bundle_sha256 FROM batch_items WHERE batch_id = :id"
                        + " ORDER BY item_index")
                .param("id", batchId)
                .query((rs, n) -> new Item(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getBytes(5)))
                .list();
    }

    List<Item> pendingItems(long batchId) {
        return items(batchId).stream().filter(i -> "PENDING".equals(i.result())).toList();
    }

    /**
     * What became of one item: provisioned (its canonical EUI-64, the digest of its bundle and the bundle sealed
     * at rest) or failed with {@code reason}.
     */
    record ItemResult(int index, String canonicalEui64, byte[] bundleSha256, byte[] sealedBundle, String reason) {

        static ItemResult provisioned(int index, String canonicalEui64, byte[] bundleSha256, byte[] sealedBundle) {
            return new ItemResult(index, canonicalEui64, bundleSha256, sealedBundle, null);
        }

        static ItemResult failed(int index, String reason) {
            return new ItemResult(index, null, null, null, reason.length() > 512 ? reason.substring(0, 509) + "..." : reason);
        }

        boolean succeeded() {
            return reason == null;
        }
    }

    /**
     * Writes the results of a chunk of items, as two JDBC batches (provisioned ones, failed ones), to items still
     * pending; answers false when some item was no longer pending (another instance took the batch over and
     * finished it), so the caller rolls the chunk back and that instance's answers stand.
     */
    boolean writeResults(long batchId, List<ItemResult> results) {
        List<Object[]> provisioned = new ArrayList<>();
        List<Object[]> failed = new ArrayList<>();
        for (ItemResult r : results) {
            if (r.succeeded()) {
                provisioned.add(new Object[] {r.canonicalEui64(), r.bundleSha256(), r.sealedBundle(), batchId, r.index()});
            } else {
                failed.add(new Object[] {r.reason(), batchId, r.index()});
            }
        }
        int written = 0;
        if (!provisioned.isEmpty()) {
            written += Arrays.stream(template.batchUpdate("UPDATE batch_items SET result = 'PROVISIONED', eui64 = ?,"
                    + " bundle_sha256 = ?, sealed_bundle = ? WHERE batch_id = ? AND item_index = ? AND result = 'PENDING'",
                    provisioned)).sum();
        }
        if (!failed.isEmpty()) {
            written += Arrays.stream(template.batchUpdate("UPDATE batch_items SET result = 'FAILED', reason = ?"
                    + " WHERE batch_id = ? AND item_index = ? AND result = 'PENDING'", failed)).sum();
        }
        return written == results.size();
    }

    Optional<byte[]> sealedBundle(long batchId, int index) {
        return jdbc.sql("SELECT sealed_bundle FROM batch_items WHERE batch_id = :id AND item_index = :index")
                .param("id", batchId).param("index", index)
                .query((rs, n) -> Optional.ofNullable(rs.getBytes(1))).optional().flatMap(o -> o);
    }

    /** Finishes a running batch with its manifest; false if another worker finished it first. */
    boolean finish(long batchId, byte[] manifest, Instant now) {
        return jdbc.sql("UPDATE batches SET state = 'FINISHED', manifest = :manifest, finished_at = :now, worker = NULL,"
                        + " lease_until = NULL WHERE id = :id AND state = 'RUNNING'")
                .param("manifest", manifest).param("now", utc(now)).param("id", batchId).update() == 1;
    }

    Optional<byte[]> manifest(long batchId) {
        return jdbc.sql("SELECT manifest FROM batches WHERE id = :id").param("id", batchId)
                .query((rs, n) -> Optional.ofNullable(rs.getBytes(1))).optional().flatMap(o -> o);
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static Batch batch(ResultSet rs, int row) throws SQLException {
        long station = rs.getLong("station_id");
        Long stationId = rs.wasNull() ? null : station; // before the next read: wasNull is about the last one
        return new Batch(rs.getLong("id"), stationId, rs.getString("principal"), rs.getString("template"),
                rs.getString("state"), rs.getInt("total"), rs.getInt("succeeded"), rs.getInt("failed"),
                instant(rs, "created_at"), instant(rs, "finished_at"));
    }
}
