package dev.fleetkey.service.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.fleetkey.service.TestService;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The audit hash chain over the real H2 file database: edits, deletions and rows written around the log
 * are caught and named, through the service and through {@code GET /api/v1/audit/verify}; concurrent
 * writers never fork the chain. Each tampering test puts the row back, so the chain is whole again after it.
 */
@SpringBootTest
@AutoConfigureMockMvc
class AuditChainIT {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestService.register(registry, TestService.newDataDir());
    }

    @Autowired
    AuditChain chain;

    @Autowired
    AuditKey key;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    MockMvc mvc;

    @BeforeEach
    void someHistory() {
        for (int i = 0; i < 5; i++) {
            chain.append("alice", "device.provisioned", "device:00-11-22-FF-FE-00-00-0" + i, "192.0.2.1");
        }
        assertThat(chain.verify().intact()).isTrue();
    }

    @Test
    void anEditedEntryIsNamedAsTheFirstBrokenLink() throws Exception {
        AuditEntry victim = chain.append("alice", "device.revoked", "device:00-11-22-FF-FE-00-00-09 reason:stolen", "192.0.2.1");
        chain.append("alice", "user.logout", "user:alice", "192.0.2.1");

        jdbc.sql("UPDATE audit_events SET actor = 'mallory' WHERE id = :id").param("id", victim.id()).update();
        try {
            ChainVerification result = chain.verify();
            assertThat(result.intact()).isFalse();
            assertThat(result.brokenEntryId()).isEqualTo(victim.id());
            assertThat(result.brokenSeq()).isEqualTo(victim.chainSeq());
            assertThat(result.entriesChecked()).isEqualTo(victim.chainSeq() - 1);
            assertThat(result.problem()).contains("entry " + victim.id()).contains("was changed after it was written");

            mvc.perform(get("/api/v1/audit/verify").with(httpBasic("admin", TestService.ADMIN_PASSWORD)))
                    .andExpect(status().isOk())
                    .andExpect(jsonPath("$.intact").value(false))
                    .andExpect(jsonPath("$.brokenEntryId").value(victim.id()));
        } finally {
            jdbc.sql("UPDATE audit_events SET actor = 'alice' WHERE id = :id").param("id", victim.id()).update();
        }
        assertThat(chain.verify().intact()).isTrue();
    }

    @Test
    void anEntryWhoseMacWasRecomputedWithTheKeyBreaksTheNextLink() {
        AuditEntry victim = chain.append("alice", "device.revoked", "device:00-11-22-FF-FE-00-00-0A", null);
        AuditEntry next = chain.append("alice", "user.logout", "user:alice", null);
        String forged = AuditHashes.entryMac(key.newMac(), victim.chainSeq(), victim.occurredAt(), "mallory", victim.action(),
                victim.subject(), victim.remoteAddress(), victim.prevHash());
        jdbc.sql("UPDATE audit_events SET actor = 'mallory', entry_hash = :h WHERE id = :id")
                .param("h", forged).param("id", victim.id()).update();
        try {
            ChainVerification result = chain.verify();
            assertThat(result.brokenEntryId()).isEqualTo(next.id());
            assertThat(result.problem()).contains("does not link to the entry before it");
        } finally {
            jdbc.sql("UPDATE audit_events SET actor = 'alice', entry_hash = :h WHERE id = :id")
                    .param("h", victim.entryHash()).param("id", victim.id()).update();
        }
        assertThat(chain.verify().intact()).isTrue();
    }

    @Test
    void aDeletedEntryLeavesAGapThatIsReported() {
        AuditEntry victim = chain.append("alice", "psk.revealed", "device:00-11-22-FF-FE-00-00-0B", null);
        AuditEntry after = chain.append("alice", "user.logout", "user:alice", null);
        jdbc.sql("DELETE FROM audit_events WHERE id = :id").param("id", victim.id()).update();
        try {
            ChainVerification result = chain.verify();
            assertThat(result.brokenEntryId()).isEqualTo(after.id());
            assertThat(result.brokenSeq()).isEqualTo(victim.chainSeq());
            assertThat(result.problem()).contains("an entry was deleted");
        } finally {
            restore(victim);
        }
        assertThat(chain.verify().intact()).isTrue();
    }

    @Test
    void deletingTheNewestEntryIsCaughtByTheChainHead() {
        AuditEntry newest = chain.append("alice", "psk.revealed", "device:00-11-22-FF-FE-00-00-0C", null);
        jdbc.sql("DELETE FROM audit_events WHERE id = :id").param("id", newest.id()).update();
        try {
            ChainVerification result = chain.verify();
            assertThat(result.intact()).isFalse();
            assertThat(result.problem()).contains("the newest entries were deleted");
        } finally {
            restore(newest);
        }
        assertThat(chain.verify().intact()).isTrue();
    }

    @Test
    void aRowWrittenAroundTheLogIsReported() {
        jdbc.sql("INSERT INTO audit_events (occurred_at, actor, action, subject) VALUES (CURRENT_TIMESTAMP, 'mallory', 'x', 'y')")
                .update();
        long id = jdbc.sql("SELECT MAX(id) FROM audit_events").query(Long.class).single();
        try {
            ChainVerification result = chain.verify();
            assertThat(result.brokenEntryId()).isEqualTo(id);
            assertThat(result.problem()).contains("has no place in the chain");
        } finally {
            jdbc.sql("DELETE FROM audit_events WHERE id = :id").param("id", id).update();
        }
    }

    @Test
    void concurrentWritersNeverForkTheChain() throws Exception {
        long before = jdbc.sql("SELECT last_seq FROM audit_chain_head").query(Long.class).single();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> writes = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int writer = t;
                writes.add(pool.submit(() -> {
                    for (int i = 0; i < 25; i++) {
                        chain.append("writer-" + writer, "test.write", "n:" + i, null);
                    }
                }));
            }
            for (Future<?> w : writes) {
                w.get();
            }
        } finally {
            pool.shutdown();
        }
        ChainVerification result = chain.verify();
        assertThat(result.intact()).as(String.valueOf(result.problem())).isTrue();
        assertThat(result.entriesChecked()).isEqualTo(before + 200);
        assertThat(jdbc.sql("SELECT COUNT(DISTINCT prev_hash) FROM audit_events WHERE chain_seq IS NOT NULL").query(Long.class).single())
                .isEqualTo(result.entriesChecked());
    }

    @Test
    void auditorsMayVerifyThroughTheApiButOthersMayNot() throws Exception {
        mvc.perform(get("/api/v1/audit/verify")).andExpect(status().isUnauthorized());
        mvc.perform(get("/api/v1/audit/verify").with(httpBasic("admin", TestService.ADMIN_PASSWORD)))
                .andExpect(jsonPath("$.intact").value(true));
    }

    private void restore(AuditEntry e) {
        jdbc.sql("""
                INSERT INTO audit_events (id, occurred_at, actor, action, subject, remote_address, chain_seq, prev_hash, entry_hash)
                VALUES (:id, :at, :actor, :action, :subject, :remote, :seq, :prev, :hash)""")
                .param("id", e.id()).param("at", e.occurredAt().atOffset(ZoneOffset.UTC))
                .param("actor", e.actor()).param("action", e.action()).param("subject", e.subject())
                .param("remote", e.remoteAddress()).param("seq", e.chainSeq()).param("prev", e.prevHash())
                .param("hash", e.entryHash())
                .update();
    }
}
