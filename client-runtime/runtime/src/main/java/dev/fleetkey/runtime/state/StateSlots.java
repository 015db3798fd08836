package dev.fleetkey.runtime.state;

import dev.fleetkey.bundle.update.UpdateManifest;
import dev.fleetkey.bundle.update.UpdateManifestCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

/** The state directories under {@code states/}, the pointer files naming them, and the {@code next/} being written. */
final class StateSlots {

    static final String DEVICE_BUNDLE = "device.bundle", FLEET_BUNDLE = "fleet.bundle", FIRMWARE = "firmware.bin",
            MANIFEST = "manifest.cbor", RECORD = "state.properties",
            DEVICE_KEY = "device.key";
    private static final String SLOT_PREFIX = "state-";

    /**
     * What one state holds; null for the parts an installed-only state lacks.
     *
     * @param deviceKey PKCS#8 of the key that opens the device bundle's sealed secrets; null when in clear
     */
    record Contents(byte[] deviceBundle, byte[] deviceKey, byte[] fleetBundle, byte[] image, UpdateManifest manifest,
                    long fleetSequence, long deviceSequence, String firmwareVersion) {
        @Override
        public String toString() {
            return "Contents[fleet seq " + fleetSequence + ", device seq " + deviceSequence + "]";
        }
    }

    /** The state's own record of its sequences, used to repair the counters after a crash. */
    record Record(long fleetSequence, long deviceSequence, String firmwareVersion) {
    }

    private final Path directory;
    private final Path states;

    StateSlots(Path directory) {
        this.directory = directory;
        this.states = directory.resolve(DeviceStateDirectory.STATES);
    }

    /** Writes a complete state into {@code next/}, forced to disk, then renames it into {@code states/}. */
    String write(Contents contents, DeviceStateDirectory.Checkpoint checkpoint) throws IOException {
        clearNext();
        Path next = Files.createDirectories(directory.resolve(DeviceStateDirectory.NEXT));
        AtomicFiles.writeNew(next.resolve(DEVICE_BUNDLE), contents.deviceBundle());
        if (contents.deviceKey() != null) {
            AtomicFiles.writeSecret(next.resolve(DEVICE_KEY), contents.deviceKey());
        }
        if (contents.fleetBundle() != null) {
            AtomicFiles.writeNew(next.resolve(FLEET_BUNDLE), contents.fleetBundle());
        }
        if (contents.image() != null) { // bundles from GET /config before any package: no firmware yet
            AtomicFiles.writeNew(next.resolve(FIRMWARE), contents.image());
        }
        if (contents.manifest() != null) {
            AtomicFiles.writeNew(next.resolve(MANIFEST), UpdateManifestCodec.encode(contents.manifest()));
        }
        String record = "fleet-sequence=" + contents.fleetSequence() + "\ndevice-sequence=" + contents.deviceSequence()
                + "\n" + (contents.firmwareVersion() == null ? "" : "firmware-version=" + contents.firmwareVersion() + "\n");
        AtomicFiles.writeNew(next.resolve(RECORD), record.getBytes(StandardCharsets.UTF_8));
        AtomicFiles.forceDirectory(next);
        checkpoint.reached(DeviceStateDirectory.Step.NEXT_WRITTEN);
        Files.createDirectories(states);
        String slot = SLOT_PREFIX + (highestGeneration() + 1);
        Files.move(next, states.resolve(slot), StandardCopyOption.ATOMIC_MOVE);
        AtomicFiles.forceDirectory(states);
        AtomicFiles.forceDirectory(directory);
        return slot;
    }

    /** Points {@code pointer} (current or previous) at {@code slot}, atomically. */
    void point(String pointer, String slot) throws IOException {
        AtomicFiles.replace(directory.resolve(pointer), (slot + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** The state a pointer names; empty when the pointer does not exist. */
    Optional<String> pointer(String pointer) throws IOException {
        String slot;
        try {
            slot = Files.readString(directory.resolve(pointer), StandardCharsets.UTF_8).trim();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        if (!slot.matches(SLOT_PREFIX + "\\d{1,18}") || !Files.isDirectory(states.resolve(slot))) {
            throw new IOException(directory.resolve(pointer) + " names no state ('" + slot + "'): the state directory"
                    + " is damaged; re-install the device");
        }
        return Optional.of(slot);
    }

    byte[] read(String slot, String file) throws IOException {
        return Files.readAllBytes(states.resolve(slot).resolve(file));
    }

    Optional<byte[]> readOptional(String slot, String file) throws IOException {
        try {
            return Optional.of(read(slot, file));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    Record record(String slot) throws IOException {
        Properties properties = new Properties();
        properties.load(new java.io.StringReader(new String(read(slot, RECORD), StandardCharsets.UTF_8)));
        try {
            return new Record(Long.parseLong(properties.getProperty("fleet-sequence")),
                    Long.parseLong(properties.getProperty("device-sequence")),
                    properties.getProperty("firmware-version"));
        } catch (NumberFormatException e) {
            throw new IOException(states.resolve(slot).resolve(RECORD) + " is damaged: " + e.getMessage());
        }
    }

    /** Removes a {@code next/} an interrupted update left, and pointer temporaries. */
    void clearNext() throws IOException {
        deleteTree(directory.resolve(DeviceStateDirectory.NEXT));
        Files.deleteIfExists(directory.resolve(DeviceStateDirectory.CURRENT + ".tmp"));
        Files.deleteIfExists(directory.resolve(DeviceStateDirectory.PREVIOUS + ".tmp"));
    }

    /** Deletes every state but the two named (a state renamed in but never switched to, states older than previous). */
    void pruneExcept(String keep, String alsoKeep) throws IOException {
        if (!Files.isDirectory(states)) {
            return;
        }
        try (DirectoryStream<Path> all = Files.newDirectoryStream(states)) {
            for (Path slot : all) {
                String name = slot.getFileName().toString();
                if (!name.equals(keep) && !name.equals(alsoKeep)) {
                    deleteTree(slot);
                }
            }
        }
    }

    private long highestGeneration() throws IOException {
        long highest = 0;
        try (DirectoryStream<Path> all = Files.newDirectoryStream(states, SLOT_PREFIX + "*")) {
            for (Path slot : all) {
                try {
                    highest = Math.max(highest, Long.parseLong(slot.getFileName().toString().substring(SLOT_PREFIX.length())));
                } catch (NumberFormatException e) {
                    // not one of ours; ignored
                }
            }
        }
        return highest;
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
