package dev.fleetkey.service.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.stereotype.Component;

/**
 * Creates {@code fleetkey.data-dir} before any bean is made, because the H2 file database, the keystore
 * and the initial admin password all live there. As a bean-factory post-processor it sees every property
 * source, test properties included, and still runs before the data source exists.
 */
@Component
public class DataDirectoryPreparer implements BeanFactoryPostProcessor, EnvironmentAware {

    /** The absolute data directory, for {@code spring.datasource.url}. */
    static final String RESOLVED_DATA_DIR = "fleetkey.resolved.data-dir";
    private static final Logger log = LoggerFactory.getLogger(DataDirectoryPreparer.class);

    private ConfigurableEnvironment environment;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = (ConfigurableEnvironment) environment;
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        Path dir = Path.of(environment.getProperty("fleetkey.data-dir", "./data")).toAbsolutePath().normalize();
        // H2 refuses implicit relative paths ("data/x"); hand it the absolute form of whatever was set.
        environment.getPropertySources().addLast(new MapPropertySource("fleetkeyResolvedPaths",
                Map.of(RESOLVED_DATA_DIR, dir.toString())));
        if (Files.isDirectory(dir)) {
            return;
        }
        try {
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                // Keys and the initial admin password live here: owner-only from the first moment.
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectories(dir);
            }
            log.info("Created data directory {}", dir);
        } catch (IOException e) {
            throw new UncheckedIOException("fleetkey.data-dir: cannot create directory " + dir
                    + " (" + e.getMessage() + "); set fleetkey.data-dir to a writable directory", e);
        }
    }
}
