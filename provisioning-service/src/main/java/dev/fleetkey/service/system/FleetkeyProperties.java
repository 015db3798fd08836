package dev.fleetkey.service.system;

import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The service's own settings under {@code fleetkey.*}, bound once at start-up.
 *
 * <p>Secrets are deliberately absent: they come only from the environment (see {@link ServiceSecrets}).
 *
 * @param dataDir      where the database, keys and the initial admin password live
 * @param templatesDir the directory whose {@code *.yaml}/{@code *.yml} files are loaded as device templates
 * @param firmwareDir  where firmware update packages are written
 * @param unsafeCommitsAllowed start even on a database whose commits return before they are written (only to
 *                     measure what durability costs; see {@link CommitDurabilityCheck})
 */
@Validated
@ConfigurationProperties("fleetkey")
public record FleetkeyProperties(
        @NotNull @DefaultValue("./data") Path dataDir,
        @NotNull @DefaultValue("./templates") Path templatesDir,
        @NotNull @DefaultValue("./firmware-bundles/packages") Path firmwareDir,
        @DefaultValue("false") boolean unsafeCommitsAllowed) {

    /** A file inside the data directory. */
    public Path dataFile(String name) {
        return dataDir.resolve(name);
    }
}
