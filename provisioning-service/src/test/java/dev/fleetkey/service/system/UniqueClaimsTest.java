package dev.fleetkey.service.system;

import static org.assertj.core.api.Assertions.assertThat;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

class UniqueClaimsTest {

    private JdbcClient jdbc;
    private TransactionTemplate transaction;
    private UniqueClaims claims;

    @BeforeEach
    void database() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:claims-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        DataSourceTransactionManager transactions = new DataSourceTransactionManager(h2);
        jdbc = JdbcClient.create(h2);
        transaction = new TransactionTemplate(transactions);
        claims = new UniqueClaims(transactions);
        jdbc.sql("CREATE TABLE claimed (name VARCHAR(16) PRIMARY KEY)").update();
        jdbc.sql("CREATE TABLE notes (text VARCHAR(16))").update();
    }

    @Test
    void aKeyIsClaimedOnceAndThenFoundTaken() {
        assertThat(claim("serial-1")).isTrue();
        assertThat(claim("serial-1")).isFalse();
        assertThat(claim("serial-2")).isTrue();
    }

    @Test
    void aLostClaimLeavesTheCallersTransactionUsable() {
        claim("serial-1");

        transaction.executeWithoutResult(status -> {
            assertThat(claim("serial-1")).isFalse();
            jdbc.sql("INSERT INTO notes (text) VALUES ('went on')").update();
        });

        assertThat(jdbc.sql("SELECT text FROM notes").query(String.class).list()).containsExactly("went on");
    }

    @Test
    void aClaimRollsBackWithTheCallersTransaction() {
        transaction.executeWithoutResult(status -> {
            assertThat(claim("serial-1")).isTrue();
            status.setRollbackOnly();
        });

        assertThat(claim("serial-1")).isTrue();
    }

    private boolean claim(String name) {
        return claims.claim(jdbc.sql("INSERT INTO claimed (name) VALUES (:name)").param("name", name));
    }
}
