package dev.fleetkey.bundle.vectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.fleetkey.bundle.BundleCodec;
import dev.fleetkey.bundle.BundleException;
import dev.fleetkey.bundle.BundlePayload;
import dev.fleetkey.bundle.BundleSecrets;
import dev.fleetkey.bundle.testing.GoldenVectors;
import dev.fleetkey.bundle.testing.TestVectorKeys;
import java.nio.file.Files;
import java.security.PrivateKey;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.bouncycastle.cms.CMSSignedData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Random mutations of the valid golden vectors: byte flips, overwrites, insertions, deletions and
 * truncations. Every mutated bundle must be refused with a {@link BundleException}: never accepted,
 * never an unchecked exception or Error. Seeded: the seed is printed, and
 * {@code -Dfleetkey.fuzz.seed=N} replays a run; {@code -Dfleetkey.fuzz.rounds=N} changes its length.
 * The build runs a fixed seed so that it is repeatable; explore with other seeds and more rounds.
 */
class BundleMutationFuzzTest {

    private static final long DEFAULT_SEED = 20261126L;

    private static final long SEED = Long.getLong("fleetkey.fuzz.seed", DEFAULT_SEED);
    private static final int ROUNDS = Integer.getInteger("fleetkey.fuzz.rounds", 1000);
    private static GoldenVectors.Manifest manifest;

    @BeforeAll
    static void load() throws Exception {
        manifest = GoldenVectors.load(GoldenVectors.directory());
        System.out.println("BundleMutationFuzzTest seed " + SEED + " (replay with -Dfleetkey.fuzz.seed=" + SEED + ")");
    }

    @Test
    void everyMutatedBundleIsRefusedWithATypedError() throws Exception {
        Random random = new Random(SEED);
        for (GoldenVectors.Vector v : manifest.vectors()) {
            if (v.json() == null) {
                continue;
            }
            byte[] original = Files.readAllBytes(manifest.directory().resolve(v.file()));
            GoldenVectors.Check bundle = manifest.check(v);
            for (int round = 0; round < ROUNDS; round++) {
                byte[] mutant = mutate(original, random);
                if (Arrays.equals(mutant, original)) {
                    continue;
                }
                boolean accepted;
                try {
                    bundle.verify(mutant);
                    accepted = true;
                } catch (BundleException expected) {
                    accepted = false;
                } catch (RuntimeException | Error e) {
                    throw new AssertionError("mutant of " + v.name() + " threw " + e + " (seed " + SEED + "): "
                            + HexFormat.of().formatHex(mutant), e);
                }
                if (accepted) {
                    fail("mutant of " + v.name() + " was accepted (seed " + SEED + "): " + HexFormat.of().formatHex(mutant));
                }
            }
        }
    }

    @Test
    void mutatedPayloadsAndEnvelopesFailOnlyWithTypedErrors() throws Exception {
        Random random = new Random(SEED + 1);
        PrivateKey recipient = TestVectorKeys.readPrivateKey(manifest.directory().resolve("test-only-recipient-key.pem"));
        for (GoldenVectors.Vector v : manifest.vectors()) {
            if (v.json() == null) {
                continue;
            }
            byte[] payload = (byte[]) new CMSSignedData(Files.readAllBytes(manifest.directory().resolve(v.file())))
                    .getSignedContent().getContent();
            BundlePayload decoded = BundleCodec.decode(payload);
            for (int round = 0; round < ROUNDS; round++) {
                byte[] mutant = mutate(payload, random);
                try {
                    BundleCodec.decode(mutant);
                } catch (BundleException refused) {
                    // typed
                } catch (RuntimeException | Error e) {
                    throw new AssertionError("decoding a mutant payload of " + v.name() + " threw " + e + " (seed "
                            + SEED + "): " + HexFormat.of().formatHex(mutant), e);
                }
                if (decoded.hasSealedSecrets()) {
                    byte[] envelope = mutate(decoded.sealedSecrets(), random);
                    try {
                        BundleSecrets.open(withEnvelope(decoded, envelope), recipient);
                    } catch (BundleException refused) {
                        // typed
                    } catch (RuntimeException | Error e) {
                        throw new AssertionError("opening a mutant envelope of " + v.name() + " threw " + e + " (seed "
                                + SEED + ")", e);
                    }
                }
            }
        }
        assertThat(ROUNDS).isPositive();
    }

    private static BundlePayload withEnvelope(BundlePayload p, byte[] envelope) {
        return new BundlePayload(p.formatVersion(), p.kind(), p.bundleId(), p.sequence(), p.issuedAt(), p.notAfter(),
                p.device(), p.template(), p.servers(), p.dtlsPolicy(), false, envelope);
    }

    static byte[] mutate(byte[] in, Random random) {
        int at = random.nextInt(in.length);
        switch (random.nextInt(6)) {
            case 0: { // flip one bit
                byte[] out = in.clone();
                out[at] ^= (byte) (1 << random.nextInt(8));
                return out;
            }
            case 1: { // overwrite a byte
                byte[] out = in.clone();
                out[at] = (byte) random.nextInt(256);
                return out;
            }
            case 2: { // insert 1-4 random bytes
                int n = 1 + random.nextInt(4);
                byte[] out = new byte[in.length + n];
                System.arraycopy(in, 0, out, 0, at);
                for (int i = 0; i < n; i++) {
                    out[at + i] = (byte) random.nextInt(256);
                }
                System.arraycopy(in, at, out, at + n, in.length - at);
                return out;
            }
            case 3: { // delete 1-8 bytes
                int n = Math.min(1 + random.nextInt(8), in.length - at);
                byte[] out = new byte[in.length - n];
                System.arraycopy(in, 0, out, 0, at);
                System.arraycopy(in, at + n, out, at, in.length - at - n);
                return out;
            }
            case 4: // truncate
                return Arrays.copyOf(in, at);
            default: { // several flips at once
                byte[] out = in.clone();
                for (int i = 0; i < 1 + random.nextInt(8); i++) {
                    out[random.nextInt(out.length)] ^= (byte) (1 + random.nextInt(255));
                }
                return out;
            }
        }
    }
}
