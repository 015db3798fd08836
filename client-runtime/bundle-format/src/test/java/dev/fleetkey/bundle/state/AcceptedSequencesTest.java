package dev.fleetkey.bundle.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetkey.bundle.BundleVerifier;
import dev.fleetkey.bundle.RollbackException;
import dev.fleetkey.bundle.WrongDeviceException;
import dev.fleetkey.bundle.WrongProductLineException;
import dev.fleetkey.bundle.testing.TestBundles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AcceptedSequencesTest {

    private static final SequenceScope DEVICE = SequenceScope.device(TestBundles.GOOD_DEVICE);
    private static final SequenceScope FLEET = SequenceScope.fleet(TestBundles.GOOD_TEMPLATE.id());

    @TempDir
    Path dir;

    private final BundleVerifier verifier = BundleVerifier.builder().trustAnchor(TestBundles.SIGNER.certificate()).build();

    @Test
    void nothingAcceptedYetReadsMinusOne() throws Exception {
        assertThat(new AcceptedSequences(dir).last(DEVICE)).isEqualTo(-1);
    }

    @Test
    void recordedSequenceSurvivesAReopen() throws Exception {
        new AcceptedSequences(dir).record(DEVICE, 7);
        assertThat(new AcceptedSequences(dir).last(DEVICE)).isEqualTo(7);
        assertThat(new AcceptedSequences(dir).last(FLEET)).isEqualTo(-1);
    }

    @Test
    void counterNeverGoesDown() throws Exception {
        AcceptedSequences state = new AcceptedSequences(dir);
        state.record(DEVICE, 7);
        assertThatThrownBy(() -> state.record(DEVICE, 7)).isInstanceOf(RollbackException.class);
        assertThatThrownBy(() -> state.record(DEVICE, 3)).isInstanceOf(RollbackException.class);
        assertThat(state.last(DEVICE)).isEqualTo(7);
    }

    @Test
    void crashBetweenWriteAndRenameLeavesTheOldValueIntact() throws Exception {
        new AcceptedSequences(dir).record(DEVICE, 7);
        byte[] before = Files.readAllBytes(dir.resolve(AcceptedSequences.FILE_NAME));
        AcceptedSequences crashing = new AcceptedSequences(dir, (from, to) -> {
            throw new SimulatedCrash();
        });
        assertThatThrownBy(() -> crashing.record(DEVICE, 8)).isInstanceOf(SimulatedCrash.class);

        // what a crash leaves: the complete new file under its temporary name, the old file untouched
        assertThat(tempFiles()).hasSize(1);
        assertThat(Files.readString(tempFiles()[0])).contains(" 8");
        assertThat(Files.readAllBytes(dir.resolve(AcceptedSequences.FILE_NAME))).isEqualTo(before);

        AcceptedSequences restarted = new AcceptedSequences(dir);
        assertThat(restarted.last(DEVICE)).isEqualTo(7);
        assertThat(tempFiles()).isEmpty();
        restarted.record(DEVICE, 8);
        assertThat(new AcceptedSequences(dir).last(DEVICE)).isEqualTo(8);
    }

    @Test
    void halfWrittenTempFileFromACrashIsIgnored() throws Exception {
        new AcceptedSequences(dir).record(DEVICE, 7);
        Files.write(dir.resolve(AcceptedSequences.FILE_NAME + ".123.tmp"), "device 00-11-22-FF-F".getBytes(StandardCharsets.UTF_8));
        AcceptedSequences state = new AcceptedSequences(dir);
        assertThat(state.last(DEVICE)).isEqualTo(7);
        assertThat(tempFiles()).isEmpty();
    }

    @Test
    void damagedStateFileIsAnErrorNotAFreshStart() throws Exception {
        Files.writeString(dir.resolve(AcceptedSequences.FILE_NAME), "device 00-11-22-FF-FE-33-44-55 seven\n");
        assertThatThrownBy(() -> new AcceptedSequences(dir))
                .isInstanceOf(IOException.class).hasMessageContaining("line 1 is damaged");
    }

    @Test
    void verifyAndRecordAdvancesOnlyOnAcceptedBundles() throws Exception {
        AcceptedSequences state = new AcceptedSequences(dir);
        byte[] five = TestBundles.signer().sign(TestBundles.pskDevicePayload(5));
        assertThat(state.verifyAndRecord(verifier, five, DEVICE, Instant.now()).payload().sequence()).isEqualTo(5);
        assertThat(state.last(DEVICE)).isEqualTo(5);

        assertThatThrownBy(() -> state.verifyAndRecord(verifier, five, DEVICE, Instant.now()))
                .isInstanceOf(RollbackException.class);
        byte[] sixForAnother = TestBundles.signer().sign(TestBundles.pskDevicePayload(6));
        SequenceScope other = SequenceScope.device(TestBundles.OTHER_DEVICE);
        assertThatThrownBy(() -> state.verifyAndRecord(verifier, sixForAnother, other, Instant.now()))
                .isInstanceOf(WrongDeviceException.class);
        assertThat(state.last(other)).isEqualTo(-1);
    }

    @Test
    void fleetBundleOfAnotherProductLineIsRefusedAndNotRecorded() throws Exception {
        AcceptedSequences state = new AcceptedSequences(dir);
        byte[] fleet = TestBundles.signer().sign(TestBundles.fleetPayload(3));
        SequenceScope otherLine = SequenceScope.fleet("other-product");
        assertThatThrownBy(() -> state.verifyAndRecord(verifier, fleet, otherLine, Instant.now()))
                .isInstanceOf(WrongProductLineException.class).hasMessageContaining("other-product");
        assertThat(state.last(otherLine)).isEqualTo(-1);
        assertThat(state.verifyAndRecord(verifier, fleet, FLEET, Instant.now()).payload().sequence()).isEqualTo(3);
        assertThat(state.last(FLEET)).isEqualTo(3);
    }

    private Path[] tempFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toArray(Path[]::new);
        }
    }

    /** Stands for the process dying: no cleanup code runs after it. */
    private static final class SimulatedCrash extends RuntimeException {
    }
}
