package dev.fleetkey.service.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetkey.service.TestService;
import dev.fleetkey.service.pki.Pkcs12KeyVault;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A database from before the keyed chain (entries linked by plain SHA-256, no switch point) meets a key
 * store without the audit key, as on the first start after the upgrade: the old entries stay verifiable and
 * are reported as unkeyed, new entries are keyed, and the old part is bound to the key where the keyed chain
 * begins.
 */
@SpringBootTest
class AuditChainUpgradeIT {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestService.register(registry, TestService.newDataDir());
    }

    @Autowired
    AuditChain chain;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    JdbcTemplate jdbcTemplate;

    @Autowired
    TransactionTemplate transaction;

    @Autowired
    CheckpointStore checkpoints;

    @TempDir
    Path keystoreDir;

    @Test
    void entriesWrittenBeforeTheAuditKeyExistedStayVerifiableAndAreBoundToTheKeyedChain() {
        for (int i = 0; i < 4; i++) {
            chain.append("alice", "device.provisioned", "device:00-11-22-FF-FE-00-02-0" + i, null);
        }
        AuditTampering database = new AuditTampering(jdbc);
        database.rewriteFrom(1, e -> e, AuditHashes::entryHash);
        jdbc.sql("UPDATE audit_chain_head SET keyed_from_seq = NULL, keyed_from_mac = NULL").update();
        jdbc.sql("DELETE FROM audit_checkpoints").update();
        long unkeyed = jdbc.sql("SELECT last_seq FROM audit_chain_head").query(Long.class).single();

        AuditChain upgraded = new AuditChain(jdbc, jdbcTemplate, transaction, new AuditKey(new Pkcs12KeyVault(
                keystoreDir.resolve("keystore.p12"), TestService.KEYSTORE_PASSWORD.toCharArray())), checkpoints);
        upgraded.afterPropertiesSet();

        ChainVerification before = upgraded.verify();
        assertThat(before.intact()).as(before.problem()).isTrue();
        assertThat(before.unkeyedEntries()).isEqualTo(unkeyed);
        assertThat(before.entriesChecked()).isEqualTo(unkeyed);

        AuditEntry first = upgraded.append("alice", "user.logout", "user:alice", null);
        assertThat(first.chainSeq()).isEqualTo(unkeyed + 1);
        assertThat(first.entryHash()).isNotEqualTo(AuditHashes.entryHash(first));
        ChainVerification after = upgraded.verify();
        assertThat(after.intact()).as(after.problem()).isTrue();
        assertThat(after.entriesChecked()).isEqualTo(unkeyed + 1);
        assertThat(after.unkeyedEntries()).isEqualTo(unkeyed);

        jdbc.sql("DELETE FROM audit_events WHERE chain_seq = :seq").param("seq", first.chainSeq()).update();
        database.moveHead(unkeyed, first.prevHash());
        database.rewriteFrom(2, e -> new AuditEntry(e.id(), e.chainSeq(), e.occurredAt(), "mallory", e.action(),
                e.subject(), e.remoteAddress(), e.prevHash(), e.entryHash()), AuditHashes::entryHash);
        ChainVerification rewritten = upgraded.verify();
        assertThat(rewritten.intact()).isFalse();
        assertThat(rewritten.problem()).contains("keyed chain's starting point");
    }
}
