package dev.fleetkey.service.users;

import dev.fleetkey.service.audit.AuditTrail;
import dev.fleetkey.service.system.DurableFiles;
import dev.fleetkey.service.system.FleetkeyProperties;
import dev.fleetkey.service.system.ServiceSecrets.InitialAdminPassword;
import dev.fleetkey.service.system.StartupProblem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Creates the first login, {@code admin}, when the users table is empty. It runs after all beans exist
 * and before the web server accepts requests. The password is {@code FLEETKEY_ADMIN_PASSWORD}, or a
 * generated one written to an owner-only file; it is never logged and never a fixed default.
 */
@Component
class AdminBootstrap implements SmartInitializingSingleton {

    static final String ADMIN_USER = "admin";
    static final String PASSWORD_FILE = "initial-admin-password";
    static final int MINIMUM_LENGTH = 12;
    private static final Logger log = LoggerFactory.getLogger(AdminBootstrap.class);

    private final UserAccounts users;
    private final PasswordEncoder encoder;
    private final InitialAdminPassword chosen;
    private final FleetkeyProperties properties;
    private final TransactionTemplate transaction;
    private final AuditTrail audit;

    AdminBootstrap(UserAccounts users, PasswordEncoder encoder, InitialAdminPassword chosen,
            FleetkeyProperties properties, TransactionTemplate transaction, AuditTrail audit) {
        this.users = users;
        this.encoder = encoder;
        this.chosen = chosen;
        this.properties = properties;
        this.transaction = transaction;
        this.audit = audit;
    }

    @Override
    public void afterSingletonsInstantiated() {
        if (users.count() > 0) {
            if (chosen.value().isPresent()) {
                log.info("Users exist already; FLEETKEY_ADMIN_PASSWORD is only used on first start and was ignored");
            }
            return;
        }
        chosen.value().ifPresentOrElse(this::createWithChosenPassword, this::createWithGeneratedPassword);
    }

    private void createWithChosenPassword(String password) {
        if (password.length() < MINIMUM_LENGTH) {
            throw new StartupProblem("FLEETKEY_ADMIN_PASSWORD is too short for the first admin login",
                    "Use at least " + MINIMUM_LENGTH + " characters, or unset it to have a password generated.", null);
        }
        transaction.executeWithoutResult(status -> createAdmin(password));
        log.info("Created user '{}' with the password from FLEETKEY_ADMIN_PASSWORD", ADMIN_USER);
    }

    private void createWithGeneratedPassword() {
        byte[] random = new byte[18];
        new SecureRandom().nextBytes(random);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Path file = properties.dataFile(PASSWORD_FILE).toAbsolutePath().normalize();
        // The file is written inside the transaction: if it cannot be written, no user exists either.
        transaction.executeWithoutResult(status -> {
            createAdmin(password);
            writeOwnerOnly(file, password + "\n");
        });
        log.warn("Created user '{}' with a generated password. Read it from {} and delete that file after "
                + "your first login (or set FLEETKEY_ADMIN_PASSWORD before the first start)", ADMIN_USER, file);
    }

    private void createAdmin(String password) {
        users.create(ADMIN_USER, encoder.encode(password), "ADMIN");
        audit.record("user.created", "user:" + ADMIN_USER);
    }

    private static void writeOwnerOnly(Path file, String content) {
        try {
            DurableFiles.replace(file, content.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the initial admin password to " + file
                    + ": make fleetkey.data-dir writable", e);
        }
    }
}
