package dev.fleetkey.service.system;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.util.Arrays;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The service's PKCS#12 key file under the data directory, protected by {@code FLEETKEY_KEYSTORE_PASSWORD}.
 * An entry is created on first use and read back on every later start. Interim home of the bundle-signing
 * key and the PSK sealing key until the PKI key vault takes over.
 */
@Component
public class LocalKeystore {

    static final String FILE_NAME = "fleetkey-keys.p12";
    private static final Logger log = LoggerFactory.getLogger(LocalKeystore.class);

    private final Path file;
    private final KeystorePassword password;

    LocalKeystore(FleetkeyProperties properties, KeystorePassword password) {
        this.file = properties.dataFile(FILE_NAME).toAbsolutePath().normalize();
        this.password = password;
    }

    /** The entry under {@code alias}, made by {@code create} and saved if the file does not hold it yet. */
    public synchronized KeyStore.Entry entry(String alias, Supplier<KeyStore.Entry> create) {
        char[] secret = password.value();
        try {
            KeyStore store = load(secret);
            KeyStore.PasswordProtection protection = new KeyStore.PasswordProtection(secret);
            if (store.containsAlias(alias)) {
                return store.getEntry(alias, protection);
            }
            KeyStore.Entry created = create.get();
            store.setEntry(alias, created, protection);
            save(store, secret);
            log.info("Created key '{}' in {}", alias, file);
            return created;
        } catch (GeneralSecurityException e) {
            throw new StartupProblem("Cannot use key '" + alias + "' in " + file + " (" + e.getMessage() + ")",
                    "Set FLEETKEY_KEYSTORE_PASSWORD to the password the file was created with.", e);
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw new StartupProblem("Cannot open " + file + ": FLEETKEY_KEYSTORE_PASSWORD is not the password it was created with",
                        "Set FLEETKEY_KEYSTORE_PASSWORD to the password the file was created with.", e);
            }
            throw new StartupProblem("Cannot read or write " + file + " (" + e.getMessage() + ")",
                    "Make fleetkey.data-dir readable and writable for the service.", e);
        } finally {
            Arrays.fill(secret, '\0');
        }
    }

    /** Where the key file lives. */
    public Path file() {
        return file;
    }

    private KeyStore load(char[] secret) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        if (Files.exists(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                store.load(in, secret);
            }
        } else {
            store.load(null, secret);
        }
        return store;
    }

    /** Written to a sibling file and moved into place, so a crash never leaves half a key file. */
    private void save(KeyStore store, char[] secret) throws IOException, GeneralSecurityException {
        Path temp = file.resolveSibling(FILE_NAME + ".tmp");
        Files.deleteIfExists(temp);
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(temp);
        }
        try (OutputStream out = Files.newOutputStream(temp)) {
            store.store(out, secret);
        }
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
