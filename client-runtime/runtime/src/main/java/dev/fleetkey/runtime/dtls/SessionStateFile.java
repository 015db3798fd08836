package dev.fleetkey.runtime.dtls;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;

import javax.crypto.SecretKey;

import org.eclipse.californium.elements.util.EncryptedPersistentComponentUtil;
import org.eclipse.californium.scandium.DTLSConnector;

/**
 * Where a client keeps its DTLS session across a process restart, so the first handshake after a
 * reboot is an abbreviated one. The state holds the master secret: it is written with AES-GCM under a
 * key only this device holds, and a file that does not decrypt is ignored (a full handshake follows).
 *
 * @param file the state file
 * @param key  a 256-bit AES key held by the device
 */
public record SessionStateFile(Path file, SecretKey key) {

    /** The serialization label; fixed, because Scandium's default holds the (changing) local port. */
    static final String LABEL = "fleetkey-device-session";
    private static final String CIPHER = "AES/GCM/NoPadding";
    private static final int KEY_BITS = 256;
    /** Sessions unused for longer than this are not saved; the maximum session age limits them anyway. */
    private static final long MAX_QUIET_SECONDS = 30L * 24 * 3600;

    /** Checks the values. */
    public SessionStateFile {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(key, "key");
    }

    @Override
    public String toString() {
        return "SessionStateFile[" + file + ", key redacted]";
    }

    /** Loads saved connections into a connector that has not started yet; false when there was nothing usable. */
    boolean loadInto(DTLSConnector connector) {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        EncryptedPersistentComponentUtil util = new EncryptedPersistentComponentUtil(CIPHER, KEY_BITS);
        util.add(connector);
        try (InputStream in = Files.newInputStream(file)) {
            return util.loadComponents(in, key) > 0;
        } catch (IOException | RuntimeException e) {
            return false; // unreadable or tampered state costs one full handshake, nothing more
        }
    }

    /** Saves the connections of a stopped connector, replacing the file atomically. */
    void saveFrom(DTLSConnector connector) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path temporary = Files.createTempFile(parent, ".session", ".tmp");
        try {
            EncryptedPersistentComponentUtil util = new EncryptedPersistentComponentUtil(CIPHER, KEY_BITS);
            util.add(connector);
            try (OutputStream out = Files.newOutputStream(temporary)) {
                util.saveComponents(out, key, MAX_QUIET_SECONDS);
            }
            try {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** Removes the saved state (after a failed handshake, or when the session is too old). */
    void delete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // the next load ignores a stale file that does not resume
        }
    }
}
