package dev.fleetkey.bundle.state;

import dev.fleetkey.bundle.BundleException;
import dev.fleetkey.bundle.BundleKind;
import dev.fleetkey.bundle.BundleSecrets;
import dev.fleetkey.bundle.BundleVerifier;
import dev.fleetkey.bundle.RollbackException;
import dev.fleetkey.bundle.VerificationContext;
import dev.fleetkey.bundle.VerifiedBundle;
import dev.fleetkey.bundle.WrongProductLineException;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The last accepted bundle sequence per {@link SequenceScope}, kept in one small text file in the
 * device's state directory. Every update writes a temporary file, forces it to disk, renames it over
 * the old file atomically and forces the directory: a crash at any point leaves either the old or the
 * new file, never a lower or half-written counter. An unreadable file is an error, never "no state"
 * (that would re-open the door to rollbacks). One process owns a state directory; methods are
 * synchronized for its threads.
 */
public final class AcceptedSequences {

    /** The file's name inside the state directory. */
    public static final String FILE_NAME = "accepted-sequences";

    private static final String HEADER = "# Fleetkey accepted bundle sequences, format 1. Written atomically; do not edit.";
    private static final String TEMP_SUFFIX = ".tmp";

    /** The atomic rename; replaceable so tests can simulate a crash between write and rename. */
    interface Rename {
        void move(Path from, Path to) throws IOException;
    }

    private final Path directory;
    private final Path file;
    private final Rename rename;

    /**
     * Opens the state in {@code stateDirectory}, creating the directory if needed and removing
     * temporary files a crash may have left behind.
     */
    public AcceptedSequences(Path stateDirectory) throws IOException {
        this(stateDirectory, (from, to) -> Files.move(from, to, StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING));
    }

    AcceptedSequences(Path stateDirectory, Rename rename) throws IOException {
        this.directory = Files.createDirectories(stateDirectory);
        this.file = directory.resolve(FILE_NAME);
        this.rename = rename;
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(directory, FILE_NAME + ".*" + TEMP_SUFFIX)) {
            for (Path leftover : leftovers) {
                Files.deleteIfExists(leftover);
            }
        }
        read(); // fail now, not at the first bundle, when the file is damaged
    }

    /** The last accepted sequence in {@code scope}, -1 when none was accepted yet. */
    public synchronized long last(SequenceScope scope) throws IOException {
        return read().getOrDefault(key(scope), -1L);
    }

    /**
     * Records {@code sequence} as accepted in {@code scope}.
     *
     * @throws RollbackException when {@code sequence} is not above the one recorded (the counter never goes down)
     */
    public synchronized void record(SequenceScope scope, long sequence) throws IOException, RollbackException {
        Map<String, Long> all = read();
        long last = all.getOrDefault(key(scope), -1L);
        if (sequence <= last) {
            throw new RollbackException(sequence, last);
        }
        all.put(key(scope), sequence);
        write(all);
    }

    /**
     * Verifies a bundle against the last sequence accepted in {@code scope} and, only if it passes,
     * records its sequence. A fleet bundle must name {@code scope}'s product line as its template.
     */
    public VerifiedBundle verifyAndRecord(BundleVerifier verifier, byte[] bundle, SequenceScope scope, Instant now)
            throws BundleException, IOException {
        return verifyAndRecord(verifier, bundle, scope, now, null);
    }

    /**
     * Like {@link #verifyAndRecord(BundleVerifier, byte[], SequenceScope, Instant)}, and opens the
     * sealed secrets with {@code recipientKey} before recording, so a bundle whose secrets cannot be
     * opened does not advance the counter.
     */
    public synchronized VerifiedBundle verifyAndRecord(BundleVerifier verifier, byte[] bundle, SequenceScope scope,
                                                       Instant now, PrivateKey recipientKey)
            throws BundleException, IOException {
        VerificationContext context = new VerificationContext(scope.kind(), scope.deviceId(), last(scope), now,
                VerificationContext.DEFAULT_CLOCK_SKEW);
        VerifiedBundle verified = verifier.verify(bundle, context);
        if (scope.kind() == BundleKind.FLEET && !verified.payload().template().id().equals(scope.id())) {
            throw new WrongProductLineException(scope.id(), verified.payload().template().id());
        }
        if (recipientKey != null) {
            verified = new VerifiedBundle(BundleSecrets.open(verified.payload(), recipientKey), verified.signer(),
                    verified.size());
        }
        record(scope, verified.payload().sequence());
        return verified;
    }

    private static String key(SequenceScope scope) {
        return scope.kind().name().toLowerCase() + " " + URLEncoder.encode(scope.id(), StandardCharsets.UTF_8);
    }

    private Map<String, Long> read() throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return new TreeMap<>();
        }
        Map<String, Long> all = new TreeMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split(" ");
            try {
                if (parts.length != 3 || !(parts[0].equals("device") || parts[0].equals("fleet"))) {
                    throw new IllegalArgumentException("not 'kind scope sequence'");
                }
                URLDecoder.decode(parts[1], StandardCharsets.UTF_8);
                all.put(parts[0] + " " + parts[1], Long.parseLong(parts[2]));
            } catch (IllegalArgumentException e) {
                throw new IOException(file + " line " + (i + 1) + " is damaged (" + e.getMessage() + "): refusing to"
                        + " guess the anti-rollback state; restore the file from the device's backup or re-provision");
            }
        }
        return all;
    }

    private void write(Map<String, Long> all) throws IOException {
        StringBuilder text = new StringBuilder(HEADER).append('\n');
        all.forEach((scope, sequence) -> text.append(scope).append(' ').append(sequence).append('\n'));
        Path temp = Files.createTempFile(directory, FILE_NAME + ".", TEMP_SUFFIX);
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                channel.force(true);
            }
            rename.move(temp, file);
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        forceDirectory();
    }

    /** Makes the rename itself durable; some platforms cannot open a directory, and then rely on the rename alone. */
    private void forceDirectory() {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // not supported here (e.g. Windows); the atomic rename still never exposes a partial file
        }
    }
}
