package dev.fleetkey.service.pki;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;

import javax.security.auth.x500.X500Principal;

/**
 * Random certificate serial numbers: 16 random bytes with the top bit cleared (a positive INTEGER of at
 * most 127 bits, well above the 64 random bits CA/B baseline asks for), claimed in a {@link SerialRegistry}
 * so that none repeats even if the random generator did.
 */
public final class SerialNumbers {

    private static final int SERIAL_BYTES = 16;
    private static final int MAX_ATTEMPTS = 8;

    private final SecureRandom random;
    private final SerialRegistry registry;

    public SerialNumbers(SecureRandom random, SerialRegistry registry) {
        this.random = random;
        this.registry = registry;
    }

    /** A serial for a certificate issued by {@code issuer}, already claimed in the registry. */
    public BigInteger next(X509Certificate issuer) {
        return next(issuer.getSubjectX500Principal());
    }

    /** A serial for a certificate issued by the CA named {@code issuer}, already claimed in the registry. */
    public BigInteger next(X500Principal issuer) {
        String issuerSubject = issuer.getName();
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            BigInteger serial = randomSerial();
            if (registry.reserve(issuerSubject, serial)) {
                return serial;
            }
        }
        // 8 collisions in a 127-bit space means the RNG or the registry is broken; refuse to issue
        throw new IllegalStateException("No unused certificate serial after " + MAX_ATTEMPTS
                + " attempts: check the random generator and the serial registry");
    }

    private BigInteger randomSerial() {
        byte[] bytes = new byte[SERIAL_BYTES];
        BigInteger serial;
        do {
            random.nextBytes(bytes);
            bytes[0] &= 0x7F;
            serial = new BigInteger(1, bytes);
        } while (serial.signum() == 0);
        return serial;
    }
}
