package dev.fleetkey.service.audit;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a signed checkpoint says: at {@code signedAt} the chain had {@code chainSeq} entries and the link
 * (MAC) of the newest was {@code headMac}. The signed body is one line of JSON with the keys in a fixed
 * order, so the same checkpoint always gives the same bytes, readable by anyone who runs
 * {@code openssl cms -verify}.
 *
 * @param checkpoint   number of this checkpoint, counting from 1
 * @param chainSeq     chain position of the newest entry covered, which is also the number of entries covered
 * @param headMac      the link of that entry, as stored in its {@code entry_hash}
 * @param keyedFromSeq the position where the keyed chain begins (entries before it are unkeyed)
 * @param signedAt     when the service signed it (microseconds, UTC)
 */
public record AuditCheckpoint(long checkpoint, long chainSeq, String headMac, long keyedFromSeq, Instant signedAt) {

    static final String FORMAT = "fleetkey-audit-checkpoint-v1";
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    public AuditCheckpoint {
        if (checkpoint < 1 || chainSeq < 1 || keyedFromSeq < 1 || headMac == null || !HEX64.matcher(headMac).matches()
                || signedAt == null) {
            throw new IllegalArgumentException("not a checkpoint: number " + checkpoint + ", position " + chainSeq
                    + ", keyed from " + keyedFromSeq + ", head '" + headMac + "', signed at " + signedAt);
        }
    }

    /** The bytes that are signed. */
    public byte[] body() {
        return ("{\"format\":\"" + FORMAT + "\",\"checkpoint\":" + checkpoint + ",\"chainSeq\":" + chainSeq
                + ",\"headMac\":\"" + headMac + "\",\"keyedFromSeq\":" + keyedFromSeq + ",\"signedAt\":\""
                + DateTimeFormatter.ISO_INSTANT.format(signedAt) + "\"}\n").getBytes(StandardCharsets.UTF_8);
    }

    /** Reads a body written by {@link #body}; a body that is anything else is refused. */
    static AuditCheckpoint parse(byte[] body) throws InvalidCheckpointException {
        try {
            JsonNode json = JSON.readTree(body);
            if (!FORMAT.equals(json.path("format").asString(null))) {
                throw new InvalidCheckpointException("its signed content is not a " + FORMAT + " body");
            }
            AuditCheckpoint parsed = new AuditCheckpoint(json.path("checkpoint").asLong(0),
                    json.path("chainSeq").asLong(0), json.path("headMac").asString(null),
                    json.path("keyedFromSeq").asLong(0), Instant.parse(json.path("signedAt").asString("")));
            if (!java.util.Arrays.equals(parsed.body(), body)) {
                throw new InvalidCheckpointException("its signed content is not in the canonical form");
            }
            return parsed;
        } catch (JacksonException | DateTimeParseException | IllegalArgumentException e) {
            throw new InvalidCheckpointException("its signed content is not a well-formed " + FORMAT + " body");
        }
    }

    /** Number, position and time, as a verification result shows them. */
    public ChainVerification.Checkpoint summary() {
        return new ChainVerification.Checkpoint(checkpoint, chainSeq, signedAt);
    }
}
