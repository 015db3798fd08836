package dev.fleetkey.service.audit;

import dev.fleetkey.service.ExternalCommand;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetkey.service.ApiClient;
import dev.fleetkey.service.TestService;
import dev.fleetkey.service.pki.Openssl;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.crypto.KeyGenerator;
import javax.crypto.Mac;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * An attacker with write access to the H2 file database but not to the key store rewrites the audit log
 * instead of merely editing it; {@code GET /api/v1/audit/verify} over real HTTP catches it and names the
 * first bad entry, signed checkpoints catch a cut tail, and an exported checkpoint file verifies offline
 * with openssl. Each test puts the rows back, so the chain is whole again after it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AuditRewritingIT {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestService.register(registry, TestService.newDataDir());
    }

    @LocalServerPort
    int port;

    @Autowired
    AuditChain chain;

    @Autowired
    JdbcClient jdbc;

    @TempDir
    Path work;

    ApiClient api;
    AuditTampering attacker;

    @BeforeEach
    void someHistory() {
        api = ApiClient.admin(port, TestService.ADMIN_PASSWORD);
        attacker = new AuditTampering(jdbc);
        for (int i = 0; i < 5; i++) {
            chain.append("alice", "device.provisioned", "device:00-11-22-FF-FE-00-01-0" + i, "192.0.2.1");
        }
    }

    @Test
    void deletingTheNewestEntriesAndMovingTheHeadBackIsCaughtByTheCheckpoint() {
        AuditEntry kept = chain.append("alice", "device.provisioned", "device:00-11-22-FF-FE-00-01-10", null);
        chain.append("alice", "psk.revealed", "device:00-11-22-FF-FE-00-01-10", null);
        AuditEntry newest = chain.append("alice", "psk.revealed", "device:00-11-22-FF-FE-00-01-11", null);
        JsonNode checkpoint = signCheckpoint();
        assertThat(checkpoint.get("chainSeq").longValue()).isEqualTo(newest.chainSeq());
        assertThat(checkpoint.get("headMac").stringValue()).isEqualTo(newest.entryHash());
        AuditTampering.Snapshot before = attacker.snapshotFrom(kept.chainSeq() + 1);
        attacker.cutTailAfter(kept.chainSeq());
        try {
            JsonNode result = verify();
            assertThat(result.get("intact").booleanValue()).isFalse();
            assertThat(result.get("brokenSeq").longValue()).isEqualTo(kept.chainSeq() + 1);
            assertThat(result.get("entriesChecked").longValue()).isEqualTo(kept.chainSeq());
            assertThat(result.get("problem").stringValue()).contains("checkpoint")
                    .contains("up to position " + newest.chainSeq());
            assertThat(api.postJson("/api/v1/audit/checkpoints", "").statusCode())
                    .as("no checkpoint is signed over a cut chain").isEqualTo(409);
        } finally {
            before.restore();
        }
        assertThat(verify().get("intact").booleanValue()).isTrue();
    }

    @Test
    void anEntryRewrittenWithThePlainSha256ChainRecomputedAfterItIsNamed() {
        AuditEntry victim = chain.append("alice", "device.revoked", "device:00-11-22-FF-FE-00-01-20 reason:stolen", null);
        chain.append("alice", "user.logout", "user:alice", null);
        AuditTampering.Snapshot before = attacker.snapshotFrom(victim.chainSeq());
        attacker.rewriteFrom(victim.chainSeq(), e -> withActor(e, "mallory"), AuditHashes::entryHash);
        try {
            JsonNode result = verify();
            assertThat(result.get("intact").booleanValue()).isFalse();
            assertThat(result.get("brokenEntryId").longValue()).isEqualTo(victim.id());
            assertThat(result.get("brokenSeq").longValue()).isEqualTo(victim.chainSeq());
            assertThat(result.get("problem").stringValue()).contains("entry " + victim.id());
        } finally {
            before.restore();
        }
        assertThat(verify().get("intact").booleanValue()).isTrue();
    }

    @Test
    void anEntryRewrittenWithTheChainRecomputedUnderAnotherKeyIsNamed() throws Exception {
        AuditEntry victim = chain.append("alice", "device.revoked", "device:00-11-22-FF-FE-00-01-30 reason:stolen", null);
        chain.append("alice", "user.logout", "user:alice", null);
        Mac wrongKey = Mac.getInstance("HmacSHA256");
        wrongKey.init(KeyGenerator.getInstance("HmacSHA256").generateKey());
        AuditTampering.Snapshot before = attacker.snapshotFrom(victim.chainSeq());
        attacker.rewriteFrom(victim.chainSeq(), e -> withActor(e, "mallory"), e -> AuditHashes.entryMac(wrongKey, e));
        try {
            JsonNode result = verify();
            assertThat(result.get("intact").booleanValue()).isFalse();
            assertThat(result.get("brokenEntryId").longValue()).isEqualTo(victim.id());
            assertThat(result.get("problem").stringValue()).contains("entry " + victim.id())
                    .contains("MAC under the audit key");
        } finally {
            before.restore();
        }
        assertThat(verify().get("intact").booleanValue()).isTrue();
    }

    @Test
    void anUntouchedChainIsIntactAndCheckedAgainstTheNewestCheckpoint() {
        JsonNode checkpoint = signCheckpoint();
        JsonNode result = verify();
        assertThat(result.get("intact").booleanValue()).as(result.toString()).isTrue();
        assertThat(result.get("entriesChecked").longValue())
                .isEqualTo(jdbc.sql("SELECT COUNT(*) FROM audit_events").query(Long.class).single());
        assertThat(result.get("unkeyedEntries").longValue()).as("a new database is keyed from its first entry").isZero();
        assertThat(result.get("checkpointsChecked").intValue()).isPositive();
        assertThat(result.get("newestCheckpoint").get("checkpoint").longValue())
                .isEqualTo(checkpoint.get("checkpoint").longValue());
    }

    @Test
    void anExportedCheckpointVerifiesOfflineWithOpensslAgainstTheBundleSigner() throws Exception {
        AuditEntry newest = chain.append("alice", "user.logout", "user:alice", null);
        signCheckpoint();
        HttpResponse<byte[]> export = api.get("/api/v1/audit/checkpoints");
        assertThat(export.statusCode()).isEqualTo(200);
        assertThat(export.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/x-pem-file"));
        Path file = Files.write(work.resolve("fleetkey-audit-checkpoints.pem"), export.body());
        Path signer = Files.write(work.resolve("bundle-signer.pem"), api.get("/api/v1/trust/bundle-signer.pem").body());

        ExternalCommand.Result verified = Openssl.run(work, "cms", "-verify", "-inform", "PEM", "-in", file.toString(),
                "-CAfile", signer.toString(), "-out", "checkpoint.json");

        assertThat(verified.exitCode()).as(verified.output()).isZero();
        assertThat(verified.output()).contains("Verification successful");
        String body = Files.readString(work.resolve("checkpoint.json"), StandardCharsets.UTF_8);
        assertThat(body).startsWith("{\"format\":\"fleetkey-audit-checkpoint-v1\"")
                .contains("\"chainSeq\":" + newest.chainSeq())
                .contains("\"headMac\":\"" + newest.entryHash() + "\"");

        byte[] altered = Files.readAllBytes(file);
        int at = new String(altered, StandardCharsets.US_ASCII).indexOf("-----BEGIN CMS-----") + 60;
        altered[at] = (byte) (altered[at] == 'A' ? 'B' : 'A');
        Files.write(work.resolve("altered.pem"), altered);
        ExternalCommand.Result refused = Openssl.run(work, "cms", "-verify", "-inform", "PEM", "-in", "altered.pem",
                "-CAfile", signer.toString(), "-out", "altered.json");
        assertThat(refused.exitCode()).as(refused.output()).isNotZero();
    }

    @Test
    void aCutTailIsCaughtAgainstTheExportedFileEvenWhenTheStoredCheckpointsWereDeletedToo() {
        AuditEntry kept = chain.append("alice", "device.provisioned", "device:00-11-22-FF-FE-00-01-40", null);
        AuditEntry newest = chain.append("alice", "psk.revealed", "device:00-11-22-FF-FE-00-01-40", null);
        signCheckpoint();
        String exported = ApiClient.text(api.get("/api/v1/audit/checkpoints"));
        AuditTampering.Snapshot before = attacker.snapshotFrom(kept.chainSeq() + 1);
        Runnable putCheckpointsBack = attacker.deleteCheckpoints();
        attacker.cutTailAfter(kept.chainSeq());
        try {
            JsonNode result = ApiClient.json(api.send("POST", "/api/v1/audit/verify", exported,
                    "Content-Type", "application/x-pem-file"));
            assertThat(result.get("intact").booleanValue()).isFalse();
            assertThat(result.get("brokenSeq").longValue()).isEqualTo(kept.chainSeq() + 1);
            assertThat(result.get("problem").stringValue()).contains("up to position " + newest.chainSeq());
        } finally {
            before.restore();
            putCheckpointsBack.run();
        }
        JsonNode again = ApiClient.json(api.send("POST", "/api/v1/audit/verify", exported, "Content-Type", "text/plain"));
        assertThat(again.get("intact").booleanValue()).as(again.toString()).isTrue();
        assertThat(again.get("checkpointsChecked").longValue()).as("the file repeats the stored checkpoints")
                .isEqualTo(jdbc.sql("SELECT COUNT(*) FROM audit_checkpoints").query(Long.class).single());
    }

    @Test
    void movingWhereTheKeyedChainBeginsIsCaught() {
        long head = jdbc.sql("SELECT last_seq FROM audit_chain_head").query(Long.class).single();
        AuditTampering.Snapshot before = attacker.snapshotFrom(1);
        Runnable putSwitchBack = attacker.moveKeyedFrom(head + 1);
        Runnable putCheckpointsBack = attacker.deleteCheckpoints();
        attacker.rewriteFrom(1, e -> withActor(e, "mallory"), AuditHashes::entryHash);
        try {
            JsonNode result = verify();
            assertThat(result.get("intact").booleanValue()).isFalse();
            assertThat(result.get("problem").stringValue()).contains("keyed chain's starting point");
        } finally {
            before.restore();
            putSwitchBack.run();
            putCheckpointsBack.run();
        }
        assertThat(verify().get("intact").booleanValue()).isTrue();
    }

    @Test
    void aStoredCheckpointWhoseSignedBytesWereAlteredIsReported() {
        chain.append("alice", "user.logout", "user:alice", null);
        long number = signCheckpoint().get("checkpoint").longValue();
        byte[] signed = jdbc.sql("SELECT signed_data FROM audit_checkpoints WHERE checkpoint = :n").param("n", number)
                .query(byte[].class).single();
        byte[] altered = signed.clone();
        int at = new String(altered, StandardCharsets.ISO_8859_1).indexOf("\"chainSeq\":") + 11;
        altered[at] = (byte) (altered[at] == '9' ? '8' : altered[at] + 1);
        jdbc.sql("UPDATE audit_checkpoints SET signed_data = :d WHERE checkpoint = :n").param("d", altered).param("n", number).update();
        try {
            JsonNode result = verify();
            assertThat(result.get("intact").booleanValue()).isFalse();
            assertThat(result.get("problem").stringValue()).contains("checkpoint stored in the database was refused");
        } finally {
            jdbc.sql("UPDATE audit_checkpoints SET signed_data = :d WHERE checkpoint = :n").param("d", signed).param("n", number).update();
        }
        assertThat(verify().get("intact").booleanValue()).isTrue();
    }

    @Test
    void aFileWithoutCheckpointsIsRefusedSayingWhatToSend() {
        HttpResponse<byte[]> response = api.send("POST", "/api/v1/audit/verify", "not a checkpoint file",
                "Content-Type", "text/plain");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(ApiClient.json(response).get("detail").stringValue()).contains("GET /api/v1/audit/checkpoints");
    }

    private JsonNode signCheckpoint() {
        HttpResponse<byte[]> response = api.postJson("/api/v1/audit/checkpoints", "");
        assertThat(response.statusCode()).as(ApiClient.text(response)).isIn(200, 201);
        return ApiClient.json(response);
    }

    private JsonNode verify() {
        HttpResponse<byte[]> response = api.get("/api/v1/audit/verify");
        assertThat(response.statusCode()).isEqualTo(200);
        return ApiClient.json(response);
    }

    private static AuditEntry withActor(AuditEntry e, String actor) {
        return new AuditEntry(e.id(), e.chainSeq(), e.occurredAt(), actor, e.action(), e.subject(), e.remoteAddress(),
                e.prevHash(), e.entryHash());
    }
}
