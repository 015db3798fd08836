package dev.fleetkey.service.system;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Files the service writes before it acknowledges something (the keystore, firmware packages, the initial
 * admin password): a temporary file in the same directory, its bytes forced to the disk, renamed over the
 * target in one step, and the directory forced so that the rename is on the disk too. A crash or a power
 * loss at any moment leaves the old file or the new one, whole; once {@link #replace} returns, the new one
 * stays. The temporary file, and so the result, is readable by the owner only on POSIX file systems.
 */
public final class DurableFiles {

    private DurableFiles() {
    }

    /** Replaces {@code file} (or creates it) with exactly {@code bytes}, durably; see the class comment. */
    public static void replace(Path file, byte[] bytes) throws IOException {
        Path target = file.toAbsolutePath();
        Path directory = target.getParent();
        Files.createDirectories(directory);
        Path temp = Files.createTempFile(directory, "." + target.getFileName(), ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            move(temp, target);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        forceDirectory(directory);
    }

    private static void move(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            // some network file systems cannot rename atomically; the data is on the disk either way
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Makes a rename in {@code directory} durable, where the platform can open a directory (not Windows). */
    private static void forceDirectory(Path directory) throws IOException {
        FileChannel channel;
        try {
            channel = FileChannel.open(directory, StandardOpenOption.READ);
        } catch (IOException e) {
            return; // a directory cannot be opened here; the file system orders the rename itself
        }
        try (channel) {
            channel.force(true);
        }
    }
}
