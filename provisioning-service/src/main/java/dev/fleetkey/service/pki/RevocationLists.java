package dev.fleetkey.service.pki;

import dev.fleetkey.bundle.Certificates;
import static dev.fleetkey.service.system.UtcColumns.utc;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.X509CRLEntryHolder;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The revocation lists (RFC 5280 CRLs) of the device and server issuing CAs, kept in {@code revocation_lists}.
 *
 * <p>Issued lazily: {@link #current} returns the newest stored CRL of a CA while it lists exactly the certificates
 * {@link RevokedCertificates} reports and less than half its validity has passed; otherwise it issues the next one.
 * Lazily rather than on a revocation event because a rotated-out certificate becomes revoked when its overlap ends,
 * which no transaction marks, and because a CRL nobody fetches needs no signature. The CRL number is the stored
 * maximum plus one, so it keeps increasing across restarts; two instances issuing at once collide on the
 * primary key and the loser reads the winner's CRL.
 */
public final class RevocationLists {

    /** A CRL as published. */
    public record Crl(String ca, long number, Instant thisUpdate, Instant nextUpdate, byte[] der) {
    }

    public static final String DEVICE_CA = "device";
    public static final String SERVER_CA = "server";

    private final CertificateAuthorities authorities;
    private final RevokedCertificates revoked;
    private final JdbcClient jdbc;
    private final TransactionTemplate newTransaction;
    private final RevocationListProperties properties;
    private final Clock clock;

    public RevocationLists(CertificateAuthorities authorities, RevokedCertificates revoked, JdbcClient jdbc,
            TransactionTemplate newTransaction, RevocationListProperties properties, Clock clock) {
        this.authorities = authorities;
        this.revoked = revoked;
        this.jdbc = jdbc;
        this.newTransaction = newTransaction;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * The CRL of {@code ca} ({@value #DEVICE_CA} or {@value #SERVER_CA}) as it should be now, issued if needed.
     *
     * @throws IllegalArgumentException for another CA name (the message names the two)
     */
    public Crl current(String ca) {
        IssuingCa issuer = switch (ca) {
            case DEVICE_CA -> authorities.deviceCa();
            case SERVER_CA -> authorities.serverCa();
            default -> throw new IllegalArgumentException("There is no CA '" + ca + "': the CAs that publish a "
                    + "revocation list are '" + DEVICE_CA + "' and '" + SERVER_CA + "'");
        };
        for (int attempt = 0; ; attempt++) {
            try {
                return newTransaction.execute(status -> currentOrNext(ca, issuer));
            } catch (DataIntegrityViolationException e) {
                if (attempt > 2) {
                    throw e;
                }
            }
        }
    }

    private Crl currentOrNext(String ca, IssuingCa issuer) {
        Instant now = clock.instant();
        X500Principal subject = issuer.certificate().getSubjectX500Principal();
        List<RevokedCertificates.Revoked> entries = revoked.revokedCertificates(now).stream()
                .filter(r -> issuedBy(r, subject)).toList();
        Set<BigInteger> serials = entries.stream().map(r -> certificate(r.certificate()).getSerialNumber())
                .collect(Collectors.toCollection(TreeSet::new));
        Optional<Crl> latest = latest(ca);
        if (latest.isPresent() && stillGood(latest.get(), issuer, serials, now)) {
            return latest.get();
        }
        long number = latest.map(c -> c.number() + 1).orElse(1L);
        Crl next = issue(ca, issuer, entries, number, now);
        jdbc.sql("INSERT INTO revocation_lists (ca, crl_number, this_update, next_update, der)"
                        + " VALUES (:ca, :number, :thisUpdate, :nextUpdate, :der)")
                .param("ca", ca).param("number", number).param("thisUpdate", utc(next.thisUpdate()))
                .param("nextUpdate", utc(next.nextUpdate())).param("der", next.der()).update();
        return next;
    }

    private boolean stillGood(Crl crl, IssuingCa issuer, Set<BigInteger> serials, Instant now) {
        Instant halfLife = crl.thisUpdate().plus(properties.validity().dividedBy(2));
        if (!now.isBefore(halfLife)) {
            return false;
        }
        X509CRLHolder holder = parse(crl.der());
        if (!holder.getIssuer().equals(X500Name.getInstance(issuer.certificate().getSubjectX500Principal()
                .getEncoded()))) {
            return false; // the hierarchy was replaced since
        }
        Set<BigInteger> listed = new TreeSet<>();
        for (Object entry : holder.getRevokedCertificates()) {
            listed.add(((X509CRLEntryHolder) entry).getSerialNumber());
        }
        return listed.equals(serials);
    }

    private Crl issue(String ca, IssuingCa issuer, List<RevokedCertificates.Revoked> entries, long number,
            Instant now) {
        Instant thisUpdate = now.minus(CertificateAuthorities.BACKDATE);
        Instant nextUpdate = now.plus(properties.validity());
        X509Certificate caCert = issuer.certificate();
        X509v2CRLBuilder builder = new X509v2CRLBuilder(
                X500Name.getInstance(caCert.getSubjectX500Principal().getEncoded()), Date.from(thisUpdate));
        builder.setNextUpdate(Date.from(nextUpdate));
        for (RevokedCertificates.Revoked r : entries) {
            builder.addCRLEntry(certificate(r.certificate()).getSerialNumber(), Date.from(r.revokedAt()),
                    r.reason().code());
        }
        try {
            builder.addExtension(Extension.authorityKeyIdentifier, false, authorityKeyIdentifier(caCert));
            builder.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(number)));
            byte[] der = builder.build(authorities.crypto().signer(issuer.privateKey())).getEncoded();
            return new Crl(ca, number, thisUpdate, nextUpdate, der);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("Cannot build the " + ca + " CA's revocation list", e);
        }
    }

    /** The CA certificate's own key identifier when it has one, so the CRL's matches whatever made the CA. */
    private static AuthorityKeyIdentifier authorityKeyIdentifier(X509Certificate caCert)
            throws IOException, GeneralSecurityException {
        byte[] ski = caCert.getExtensionValue(Extension.subjectKeyIdentifier.getId());
        if (ski != null) {
            byte[] id = SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(ski).getOctets()).getKeyIdentifier();
            return new AuthorityKeyIdentifier(id);
        }
        return new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(caCert.getPublicKey());
    }

    private Optional<Crl> latest(String ca) {
        return jdbc.sql("SELECT crl_number, this_update, next_update, der FROM revocation_lists WHERE ca = :ca"
                        + " ORDER BY crl_number DESC FETCH FIRST 1 ROWS ONLY")
                .param("ca", ca)
                .query((rs, row) -> new Crl(ca, rs.getLong(1), rs.getObject(2, OffsetDateTime.class)
                        .toInstant(), rs.getObject(3, OffsetDateTime.class).toInstant(), rs.getBytes(4)))
                .optional();
    }

    private static boolean issuedBy(RevokedCertificates.Revoked r, X500Principal subject) {
        return certificate(r.certificate()).getIssuerX500Principal().equals(subject);
    }

    private static X509Certificate certificate(byte[] der) {
        try {
            return Certificates.parse(der);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("A stored certificate cannot be parsed", e);
        }
    }

    private static X509CRLHolder parse(byte[] der) {
        try {
            return new X509CRLHolder(der);
        } catch (IOException e) {
            throw new IllegalStateException("A stored revocation list cannot be parsed", e);
        }
    }
}
