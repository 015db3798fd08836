package dev.fleetkey.service.checkins;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class GroupCommitTest {

    @Test
    void aWriteIsAnsweredOnlyOnceItsGroupIsCommittedAndWritesArrivingMeanwhileShareTheNextCommit() throws Exception {
        CountDownLatch firstWriting = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        List<List<String>> groups = new CopyOnWriteArrayList<>();
        try (GroupCommit<String> commits = new GroupCommit<>("test-group-commit", 8, 100, items -> {
            groups.add(items);
            if (items.contains("first")) {
                firstWriting.countDown();
                await(releaseFirst);
            }
        })) {
            CompletableFuture<Void> first = commits.submit("first");
            assertThat(firstWriting.await(10, TimeUnit.SECONDS)).as("the first group is being written").isTrue();
            List<CompletableFuture<Void>> meanwhile = List.of(commits.submit("second"), commits.submit("third"));

            assertThat(first).as("not answered before its commit").isNotDone();
            assertThat(meanwhile).as("not answered before their commit").noneMatch(CompletableFuture::isDone);
            releaseFirst.countDown();
            first.get(10, TimeUnit.SECONDS);
            for (CompletableFuture<Void> write : meanwhile) {
                write.get(10, TimeUnit.SECONDS);
            }
            assertThat(groups).containsExactly(List.of("first"), List.of("second", "third"));
        }
    }

    @Test
    void aFailedCommitFailsEveryWriteOfItsGroup() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (GroupCommit<String> commits = new GroupCommit<>("test-group-commit", 8, 100, items -> {
            await(release);
            throw new IllegalStateException("disk full");
        })) {
            CompletableFuture<Void> blocking = commits.submit("a");
            List<CompletableFuture<Void>> queued = List.of(commits.submit("b"), commits.submit("c"));
            release.countDown();
            for (CompletableFuture<Void> write : queued) {
                assertThat(write).failsWithin(10, TimeUnit.SECONDS).withThrowableThat()
                        .withRootCauseInstanceOf(IllegalStateException.class);
            }
            assertThat(blocking).failsWithin(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aFullQueueRefusesAtOnce() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch writing = new CountDownLatch(1);
        try (GroupCommit<String> commits = new GroupCommit<>("test-group-commit", 8, 1, items -> {
            writing.countDown();
            await(release);
        })) {
            CompletableFuture<Void> inWriter = commits.submit("a");
            assertThat(writing.await(10, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<Void> queued = commits.submit("b");
            CompletableFuture<Void> refused = commits.submit("c");
            assertThat(refused).isCompletedExceptionally();
            assertThat(refused).failsWithin(0, TimeUnit.SECONDS).withThrowableThat()
                    .withCauseInstanceOf(RejectedExecutionException.class);
            release.countDown();
            inWriter.get(10, TimeUnit.SECONDS);
            queued.get(10, TimeUnit.SECONDS);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
