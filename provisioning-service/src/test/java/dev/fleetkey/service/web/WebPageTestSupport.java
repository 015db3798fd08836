package dev.fleetkey.service.web;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;

import dev.fleetkey.service.TestService;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

/**
 * One service (its own data directory, real H2 file database) shared by the page tests: they inherit
 * the same configuration, so Spring starts it once. Tests use their own EUI-64s.
 */
@SpringBootTest
@AutoConfigureMockMvc
public abstract class WebPageTestSupport {

    private static final Path DATA_DIR = TestService.newDataDir();
    private static final AtomicInteger NEXT_DEVICE = new AtomicInteger(0x100);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestService.register(registry, DATA_DIR);
    }

    @Autowired
    protected MockMvc mvc;

    @Autowired
    protected JdbcClient jdbc;

    /** The bootstrap admin, who exists in the database with {@link TestService#ADMIN_PASSWORD}. */
    protected static RequestPostProcessor admin() {
        return user("admin").roles("ADMIN");
    }

    protected static RequestPostProcessor operator() {
        return user("olga").roles("OPERATOR");
    }

    protected static RequestPostProcessor auditor() {
        return user("audrey").roles("AUDITOR");
    }

    /** A fresh EUI-64 for this JVM run, in canonical form. */
    protected static String newEui64() {
        int n = NEXT_DEVICE.getAndIncrement();
        return String.format("02-00-5E-FF-FE-%02X-%02X-%02X", (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff);
    }
}
