package dev.fleetkey.service.pki;

import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/** Wires the CAs' revocation lists: they need the database and the owner of revoked certificates (devices). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RevocationListProperties.class)
class RevocationListConfiguration {

    /** Each CRL is read and, when due, issued in a transaction of its own (also inside read-only callers). */
    @Bean
    RevocationLists revocationLists(CertificateAuthorities cas, RevokedCertificates revoked, JdbcClient jdbc,
            PlatformTransactionManager transactions, RevocationListProperties properties) {
        TransactionTemplate own = new TransactionTemplate(transactions);
        own.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        return new RevocationLists(cas, revoked, jdbc, own, properties, Clock.systemUTC());
    }
}
