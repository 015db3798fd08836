package dev.fleetkey.service.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetkey.bundle.Sha256;
import dev.fleetkey.service.TestService;
import dev.fleetkey.service.system.StateConflictException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Claims of {@link Idempotency} on a real H2 database: a request still running, one that died after claiming
 * its key, and a slow one whose abandoned-looking claim was taken over. The work here writes a station row,
 * so whether a write survived shows in the database.
 */
@SpringBootTest
class IdempotencyClaimsIT {

    private static final String PRINCIPAL = "station:test";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestService.register(registry, TestService.newDataDir());
    }

    @Autowired
    Idempotency idempotency;

    @Autowired
    JdbcClient jdbc;

    @Test
    void requestWithTheKeyOfOneStillRunningGetsInProgressWithRetryAfterThenTheStoredAnswer() throws Exception {
        CountDownLatch working = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        CompletableFuture<StoredAnswer> first = CompletableFuture.supplyAsync(() -> idempotency.execute(PRINCIPAL,
                "running", "POST /a {1}", () -> {
                    working.countDown();
                    await(finish);
                    return created("running-station");
                }));
        assertThat(working.await(10, TimeUnit.SECONDS)).isTrue();

        assertThatThrownBy(() -> idempotency.execute(PRINCIPAL, "running", "POST /a {1}", () -> created("second")))
                .isInstanceOfSatisfying(IdempotencyKeyInProgressException.class, e -> {
                    assertThat(e.reason()).isEqualTo("idempotency-key-in-progress");
                    assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(1));
                });
        assertThatThrownBy(() -> idempotency.execute(PRINCIPAL, "running", "POST /a {2}", () -> created("third")))
                .isInstanceOf(IdempotencyKeyReusedException.class);
        finish.countDown();

        StoredAnswer answer = first.get(10, TimeUnit.SECONDS);
        StoredAnswer replay = idempotency.execute(PRINCIPAL, "running", "POST /a {1}", () -> created("fourth"));
        assertThat(replay.replayed()).isTrue();
        assertThat(replay.body()).isEqualTo(answer.body());
        assertThat(stations("running-station", "second", "third", "fourth")).isEqualTo(1);
    }

    @Test
    void claimLeftByARequestThatDiedBlocksTheKeyOnlyUntilTheClaimTimeout() {
        byte[] fingerprint = Sha256.digest("POST /b {1}");
        insertClaim("crashed", fingerprint, Instant.now());
        assertThatThrownBy(() -> idempotency.execute(PRINCIPAL, "crashed", "POST /b {1}", () -> created("too-early")))
                .isInstanceOf(IdempotencyKeyInProgressException.class);

        jdbc.sql("UPDATE idempotency_keys SET created_at = :at WHERE idempotency_key = 'crashed'")
                .param("at", Instant.now().minus(Idempotency.CLAIM_TIMEOUT).minusSeconds(1).atOffset(ZoneOffset.UTC))
                .update();
        StoredAnswer answer = idempotency.execute(PRINCIPAL, "crashed", "POST /b {1}", () -> created("after-timeout"));

        assertThat(answer.status()).isEqualTo(201);
        assertThat(answer.replayed()).isFalse();
        assertThat(stations("too-early")).isZero();
        assertThat(stations("after-timeout")).isEqualTo(1);
        assertThat(idempotency.execute(PRINCIPAL, "crashed", "POST /b {1}", () -> created("again")).replayed()).isTrue();
    }

    @Test
    void slowRequestWhoseClaimWasTakenOverLeavesNoTraceAndTheTakerAnswers() throws Exception {
        CountDownLatch working = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        CompletableFuture<StoredAnswer> slow = CompletableFuture.supplyAsync(() -> idempotency.execute(PRINCIPAL,
                "slow", "POST /c {1}", () -> {
                    StoredAnswer answer = created("slow-station");
                    working.countDown();
                    await(finish);
                    return answer;
                }));
        assertThat(working.await(10, TimeUnit.SECONDS)).isTrue();
        jdbc.sql("UPDATE idempotency_keys SET created_at = :at WHERE idempotency_key = 'slow'")
                .param("at", Instant.now().minus(Idempotency.CLAIM_TIMEOUT).minusSeconds(1).atOffset(ZoneOffset.UTC))
                .update();

        StoredAnswer taker = idempotency.execute(PRINCIPAL, "slow", "POST /c {1}", () -> created("taker-station"));
        finish.countDown();

        assertThat(taker.status()).isEqualTo(201);
        assertThat(slow).failsWithin(10, TimeUnit.SECONDS).withThrowableThat()
                .withCauseInstanceOf(IdempotencyKeyInProgressException.class);
        assertThat(stations("slow-station")).as("the slow request's write is rolled back").isZero();
        assertThat(stations("taker-station")).isEqualTo(1);
        StoredAnswer replay = idempotency.execute(PRINCIPAL, "slow", "POST /c {1}", () -> created("late"));
        assertThat(replay.body()).isEqualTo(taker.body());
    }

    @Test
    void failedRequestReleasesItsKeySoTheSameRequestMayRunAgain() {
        Supplier<StoredAnswer> failing = () -> {
            created("failed-station");
            throw new StateConflictException("device-exists", "test failure");
        };
        assertThatThrownBy(() -> idempotency.execute(PRINCIPAL, "fails", "POST /d {1}", failing))
                .isInstanceOf(StateConflictException.class).hasMessage("test failure");

        StoredAnswer answer = idempotency.execute(PRINCIPAL, "fails", "POST /d {1}", () -> created("retried-station"));

        assertThat(answer.replayed()).isFalse();
        assertThat(stations("failed-station")).isZero();
        assertThat(stations("retried-station")).isEqualTo(1);
    }

    @Test
    void keyWhoseAnswerIsPastTheRetentionIsFreeForANewRequest() {
        idempotency.execute(PRINCIPAL, "old", "POST /e {1}", () -> created("yesterday"));
        jdbc.sql("UPDATE idempotency_keys SET created_at = :at WHERE idempotency_key = 'old'")
                .param("at", Instant.now().minus(Idempotency.RETENTION).minusSeconds(1).atOffset(ZoneOffset.UTC))
                .update();

        StoredAnswer answer = idempotency.execute(PRINCIPAL, "old", "POST /e {2}", () -> created("today"));

        assertThat(answer.replayed()).isFalse();
        assertThat(stations("today")).isEqualTo(1);
        assertThat(idempotency.execute(PRINCIPAL, "old", "POST /e {2}", () -> created("again-today")).body())
                .isEqualTo(answer.body());
    }

    /** The work: writes a station named {@code name} and answers 201 naming it. */
    private StoredAnswer created(String name) {
        jdbc.sql("""
                INSERT INTO stations (name, allowed_templates, quota_per_minute, enabled, created_at)
                VALUES (:name, 'demo-sensor', 1, FALSE, CURRENT_TIMESTAMP)""").param("name", name).update();
        return StoredAnswer.of(201, MediaType.APPLICATION_JSON, "/stations/" + name,
                ("{\"name\":\"" + name + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    private long stations(String... names) {
        return jdbc.sql("SELECT COUNT(*) FROM stations WHERE name IN (:names)").param("names", java.util.List.of(names))
                .query(Long.class).single();
    }

    private void insertClaim(String key, byte[] fingerprint, Instant at) {
        jdbc.sql("""
                INSERT INTO idempotency_keys (principal, idempotency_key, request_sha256, claim_id, created_at)
                VALUES (:p, :k, :f, 'claim-of-a-dead-request', :at)""")
                .param("p", PRINCIPAL).param("k", key).param("f", fingerprint).param("at", at.atOffset(ZoneOffset.UTC))
                .update();
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never let the work finish");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
