package dev.fleetkey.service.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetkey.service.system.StartupProblem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * First-start key setup under the database lock ({@code key_setup}, V15), against a real H2 database: instances
 * starting together on one database and one key store make one hierarchy, and an instance whose key store does
 * not hold the recorded hierarchy stops, saying what to configure.
 */
class KeySetupLockTest {

    private static int databases;

    private DriverManagerDataSource dataSource;
    private JdbcClient jdbc;
    private final ExecutorService threads = Executors.newFixedThreadPool(2);

    @BeforeEach
    void database() throws Exception {
        dataSource = new DriverManagerDataSource("jdbc:h2:mem:keysetup" + (++databases)
                + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000", "sa", "");
        jdbc = JdbcClient.create(dataSource);
        for (String statement : Files.readString(Path.of("src/main/resources/db/migration/V15__key_setup.sql"))
                .replaceAll("(?m)^--.*$", "").split(";")) {
            if (!statement.isBlank()) {
                jdbc.sql(statement).update();
            }
        }
    }

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    @Test
    void twoInstancesStartingAtTheSameMomentOnOneKeyStoreMakeOneHierarchy() throws Exception {
        KeyVault sharedToken = new InMemoryKeyVault();
        CountDownLatch bothReady = new CountDownLatch(2);
        List<Future<CertificateAuthorities>> starts = List.of(
                threads.submit(() -> start(sharedToken, bothReady)), threads.submit(() -> start(sharedToken, bothReady)));

        CertificateAuthorities first = starts.get(0).get(60, TimeUnit.SECONDS);
        CertificateAuthorities second = starts.get(1).get(60, TimeUnit.SECONDS);

        assertThat(second.deviceCa().certificate()).isEqualTo(first.deviceCa().certificate());
        assertThat(second.bundleSigner().certificate()).isEqualTo(first.bundleSigner().certificate());
        assertThat(sharedToken.privateKeyEntry(CertificateAuthorities.DEVICE_CA_ALIAS).orElseThrow().certificate())
                .isEqualTo(first.deviceCa().certificate());
        assertThat(jdbc.sql("SELECT device_ca_sha256 FROM key_setup").query(String.class).single())
                .isEqualTo(KeySetupLock.sha256(first.deviceCa().certificate()));
    }

    @Test
    void anInstanceWhoseKeyStoreLacksTheRecordedHierarchyStopsSayingWhatToConfigure() throws Exception {
        start(new InMemoryKeyVault(), new CountDownLatch(0));

        assertThatThrownBy(() -> start(new InMemoryKeyVault(), new CountDownLatch(0)))
                .isInstanceOf(StartupProblem.class)
                .hasMessageContaining("This database belongs to a CA hierarchy (device CA SHA-256 ")
                .hasMessageContaining("whose keys are not in this instance's key store (memory")
                .satisfies(e -> assertThat(((StartupProblem) e).action())
                        .contains("fleetkey.keys.provider=pkcs11, the same token"));
    }

    @Test
    void anInstanceWhoseKeyStoreHoldsAnotherHierarchyStops() throws Exception {
        start(new InMemoryKeyVault(), new CountDownLatch(0));
        KeyVault other = new InMemoryKeyVault();
        CertificateAuthorities.openOrCreate(other, P256Crypto.preferred(), serials(), Clock.systemUTC(), "Other");

        assertThatThrownBy(() -> start(other, new CountDownLatch(0)))
                .isInstanceOf(StartupProblem.class)
                .hasMessageContaining("holds a CA hierarchy (device CA SHA-256 ")
                .hasMessageContaining("other than the one this database belongs to");
    }

    @Test
    void aRestartOverTheSameKeysOpensThem() throws Exception {
        KeyVault vault = new InMemoryKeyVault();
        CertificateAuthorities first = start(vault, new CountDownLatch(0));

        assertThat(start(vault, new CountDownLatch(0)).deviceCa().certificate()).isEqualTo(first.deviceCa().certificate());
    }

    private CertificateAuthorities start(KeyVault vault, CountDownLatch together) throws InterruptedException {
        KeySetupLock lock = new KeySetupLock(jdbc, new DataSourceTransactionManager(dataSource));
        together.countDown();
        together.await(10, TimeUnit.SECONDS);
        Supplier<CertificateAuthorities> open = () -> CertificateAuthorities.openOrCreate(vault, P256Crypto.preferred(),
                serials(), Clock.systemUTC(), "Fleetkey");
        return lock.openHierarchy(vault, open);
    }

    private static SerialNumbers serials() {
        return new SerialNumbers(P256Crypto.preferred().random(), SerialRegistry.inMemory());
    }
}
