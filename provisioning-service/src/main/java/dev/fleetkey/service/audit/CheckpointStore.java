package dev.fleetkey.service.audit;

import dev.fleetkey.bundle.BundleException;
import dev.fleetkey.bundle.BundleSigner;
import dev.fleetkey.bundle.BundleVerifier;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Signed checkpoints of the audit chain: signs them with the bundle signer (CMS SignedData, the signer's
 * certificate embedded), stores them, checks their signatures and moves them in and out as a PEM file.
 *
 * <p>Why the bundle signer: its certificate is already published at {@code GET /api/v1/trust/bundle-signer.pem}
 * and held by everyone who checks Fleetkey's signatures, and its key is always in the key store, whereas a
 * key certified by the root CA could not be made once the root key is taken offline. A checkpoint body is
 * JSON beginning {@code {"format":"fleetkey-audit-checkpoint-v1"}, which no bundle or package decoder accepts,
 * so a checkpoint can never pass for a bundle.
 */
@Repository
class CheckpointStore {

    private static final Pattern PEM_BLOCK = Pattern.compile(
            "-----BEGIN CMS-----\\s*([A-Za-z0-9+/=\\s]+?)-----END CMS-----");

    private final JdbcClient jdbc;
    private final BundleSigner signer;
    private final BundleVerifier verifier;

    CheckpointStore(JdbcClient jdbc, BundleSigner signer) {
        this.jdbc = jdbc;
        this.signer = signer;
        this.verifier = BundleVerifier.builder().trustAnchor(signer.certificate()).build();
    }

    /** A checkpoint with its signed bytes. */
    record Signed(AuditCheckpoint checkpoint, byte[] signedData) {
    }

    /** Signs and stores a checkpoint; fails on a duplicate number or position (someone else was first). */
    Signed sign(AuditCheckpoint checkpoint) {
        byte[] signed = signer.signEncoded(checkpoint.body());
        jdbc.sql("""
                INSERT INTO audit_checkpoints (checkpoint, chain_seq, signed_at, signed_data)
                VALUES (:n, :seq, :at, :data)""")
                .param("n", checkpoint.checkpoint()).param("seq", checkpoint.chainSeq())
                .param("at", checkpoint.signedAt().atOffset(ZoneOffset.UTC)).param("data", signed)
                .update();
        return new Signed(checkpoint, signed);
    }

    /** The newest stored checkpoint by number, unverified (for display and for when the next one is due). */
    Optional<StoredRow> newestRow() {
        return jdbc.sql("SELECT checkpoint, chain_seq, signed_at FROM audit_checkpoints ORDER BY checkpoint DESC LIMIT 1")
                .query((rs, n) -> new StoredRow(rs.getLong(1), rs.getLong(2),
                        rs.getObject(3, OffsetDateTime.class).toInstant()))
                .optional();
    }

    /** A stored checkpoint's columns, which are copies of its signed body and not trusted. */
    record StoredRow(long checkpoint, long chainSeq, Instant signedAt) {
    }

    /** The newest stored checkpoint's signed bytes. */
    Optional<byte[]> newestSigned() {
        return jdbc.sql("SELECT signed_data FROM audit_checkpoints ORDER BY checkpoint DESC LIMIT 1")
                .query((rs, n) -> rs.getBytes(1)).optional();
    }

    /** Every stored checkpoint's signed bytes, newest first. */
    List<byte[]> allSigned() {
        return jdbc.sql("SELECT signed_data FROM audit_checkpoints ORDER BY checkpoint DESC")
                .query((rs, n) -> rs.getBytes(1)).list();
    }

    /**
     * What {@code signedData} says, if this service's bundle signer signed it.
     *
     * @throws InvalidCheckpointException if the signature does not hold or the content is not a checkpoint
     */
    AuditCheckpoint open(byte[] signedData) throws InvalidCheckpointException {
        byte[] body;
        try {
            body = verifier.verifyEnvelope(signedData, Instant.now()).content();
        } catch (BundleException e) {
            throw new InvalidCheckpointException("it is not signed by this service's bundle signer (" + e.getMessage() + ")");
        }
        return AuditCheckpoint.parse(body);
    }

    /**
     * The stored checkpoints as a PEM file, newest first, each block preceded by a line saying what it covers.
     * {@code openssl cms -verify -inform PEM} reads the first block, the newest checkpoint.
     */
    String exportPem() {
        StringBuilder pem = new StringBuilder();
        for (byte[] signed : allSigned()) {
            String about;
            try {
                AuditCheckpoint c = open(signed);
                about = "Fleetkey audit checkpoint " + c.checkpoint() + ": entries 1-" + c.chainSeq() + ", head "
                        + c.headMac() + ", signed " + c.signedAt();
            } catch (InvalidCheckpointException e) {
                about = "A stored checkpoint that does not verify: " + e.getMessage();
            }
            pem.append(about).append('\n').append("-----BEGIN CMS-----\n")
                    .append(Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(signed))
                    .append("\n-----END CMS-----\n");
        }
        return pem.toString();
    }

    /**
     * The signed checkpoints in a PEM file made by {@link #exportPem}.
     *
     * @throws InvalidCheckpointException if the file holds no CMS block, a block that is not Base64, or a
     *                                    checkpoint that does not verify (named by its place in the file)
     */
    List<AuditCheckpoint> importPem(String pem) throws InvalidCheckpointException {
        List<AuditCheckpoint> checkpoints = new ArrayList<>();
        Matcher block = PEM_BLOCK.matcher(pem == null ? "" : pem);
        while (block.find()) {
            int place = checkpoints.size() + 1;
            byte[] der;
            try {
                der = Base64.getMimeDecoder().decode(block.group(1).getBytes(StandardCharsets.US_ASCII));
            } catch (IllegalArgumentException e) {
                throw new InvalidCheckpointException("Block " + place + " of the file is not Base64");
            }
            try {
                checkpoints.add(open(der));
            } catch (InvalidCheckpointException e) {
                throw new InvalidCheckpointException("Checkpoint " + place + " of the file was refused: " + e.getMessage());
            }
        }
        if (checkpoints.isEmpty()) {
            throw new InvalidCheckpointException("The file holds no checkpoint: send the PEM file exported from"
                    + " GET /api/v1/audit/checkpoints (blocks between -----BEGIN CMS----- and -----END CMS-----)");
        }
        return checkpoints;
    }
}
