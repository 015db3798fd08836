package dev.fleetkey.service.endpoint.load;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.eclipse.californium.scandium.dtls.cipher.CCMBlockCipher;
import org.eclipse.californium.scandium.dtls.cipher.PseudoRandomFunction;
import org.eclipse.californium.scandium.dtls.cipher.PseudoRandomFunction.Label;

/**
 * The least crypto the server does for one full handshake, with no network, DTLS state machine or lookup, on
 * {@code threads} threads: for PSK the cookie MAC, the PRF work (extended master secret, key block, both
 * Finished verify data) and AES-CCM on the two Finished records; for ECDHE-ECDSA that plus an ephemeral P-256
 * key pair, ECDH, one signature (ServerKeyExchange) and the verification of the client's CertificateVerify;
 * for X.509 also the client certificate's signature against its issuing CA. Scandium's own PRF and CCM
 * classes, the JDK's default providers as Scandium uses them.
 *
 * <p>{@link #measureWithStack} adds the crypto a DTLS stack cannot skip either, as a second, fairer floor: the
 * cookie MAC a second time (the server computes it for the ClientHello without a cookie and again for the one
 * that returns it), the SHA-256 handshake hash over the handshake messages (about 400 bytes for PSK, 1,200 for
 * ECDHE-ECDSA), the server's random, and AES-CCM on the {@code GET /hello} request and its answer that complete
 * the generator's handshake.
 */
final class HandshakeFloor {

    /** Handshakes per second on all threads, and the CPU each one cost. */
    record Rate(double perSecond, double cpuMillisPerHandshake) {
    }

    private final KeyPair server = keyPair();
    private final KeyPair client = keyPair();
    private final KeyPair ca = keyPair();
    private final X509Certificate clientCertificate = certificate(client, ca);
    private final byte[] clientSignature = sign(client, new byte[64]);

    /** Measures {@code mode} (psk, rpk, x509) on {@code threads} threads for {@code duration}, after a short warm-up. */
    Rate measure(String mode, int threads, Duration duration) throws Exception {
        run(mode, false, threads, duration.dividedBy(3));
        return run(mode, false, threads, duration);
    }

    /** As {@link #measure}, with the crypto every DTLS stack does besides (see the class comment). */
    Rate measureWithStack(String mode, int threads, Duration duration) throws Exception {
        run(mode, true, threads, duration.dividedBy(3));
        return run(mode, true, threads, duration);
    }

    private Rate run(String mode, boolean stack, int threads, Duration duration) throws Exception {
        AtomicLong done = new AtomicLong();
        AtomicLong cpu = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            long start = System.nanoTime();
            long end = start + duration.toNanos();
            List<Future<?>> runs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                runs.add(pool.submit(() -> {
                    long cpu0 = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
                    while (System.nanoTime() < end) {
                        handshake(mode, stack);
                        done.incrementAndGet();
                    }
                    cpu.addAndGet(java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu0);
                    return null;
                }));
            }
            for (Future<?> run : runs) {
                run.get();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return new Rate(done.get() / seconds, cpu.get() / 1e6 / done.get());
        } finally {
            pool.shutdown();
        }
    }

    private void handshake(String mode, boolean stack) throws GeneralSecurityException {
        SecureRandom random = new SecureRandom();
        byte[] randoms = new byte[64];
        random.nextBytes(randoms);
        Mac hmac = Mac.getInstance("HmacSHA256");
        hmac.init(new SecretKeySpec(randoms, 0, 32, "HmacSHA256"));
        hmac.doFinal(randoms); // the HelloVerifyRequest cookie
        byte[] premaster;
        if (mode.equals("psk")) {
            byte[] psk = new byte[16];
            random.nextBytes(psk);
            premaster = new byte[2 + psk.length + 2 + psk.length];
            System.arraycopy(psk, 0, premaster, 2 + psk.length + 2, psk.length);
        } else {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            KeyPair ephemeral = generator.generateKeyPair();
            KeyAgreement ecdh = KeyAgreement.getInstance("ECDH");
            ecdh.init(ephemeral.getPrivate());
            ecdh.doPhase(client.getPublic(), true);
            premaster = ecdh.generateSecret();
            sign(server, randoms); // ServerKeyExchange
            Signature verify = Signature.getInstance("SHA256withECDSA");
            verify.initVerify(client.getPublic());
            verify.update(new byte[64]);
            if (!verify.verify(clientSignature)) { // CertificateVerify
                throw new IllegalStateException("client signature did not verify");
            }
            if (mode.equals("x509")) {
                clientCertificate.verify(ca.getPublic());
            }
        }
        byte[] sessionHash = MessageDigest.getInstance("SHA-256").digest(randoms);
        SecretKey master = PseudoRandomFunction.generateMasterSecret(hmac, new SecretKeySpec(premaster, "MAC"),
                sessionHash, true);
        byte[] keyBlock = PseudoRandomFunction.doPRF(hmac, master, Label.KEY_EXPANSION_LABEL, randoms, 40);
        PseudoRandomFunction.doPRF(hmac, master, Label.CLIENT_FINISHED_LABEL, sessionHash);
        byte[] serverFinished = PseudoRandomFunction.doPRF(hmac, master, Label.SERVER_FINISHED_LABEL, sessionHash);
        SecretKey clientKey = new SecretKeySpec(keyBlock, 0, 16, "AES");
        SecretKey serverKey = new SecretKeySpec(keyBlock, 16, 16, "AES");
        byte[] nonce = new byte[12];
        byte[] additional = new byte[13];
        byte[] sealed = CCMBlockCipher.encrypt(clientKey, nonce, additional, serverFinished, 8);
        CCMBlockCipher.decrypt(clientKey, nonce, additional, sealed, 8); // the client's Finished
        CCMBlockCipher.encrypt(serverKey, nonce, additional, serverFinished, 8); // ours
        if (stack) {
            hmac.init(new SecretKeySpec(randoms, 0, 32, "HmacSHA256"));
            hmac.doFinal(randoms); // the cookie again, for the ClientHello that returns it
            random.nextBytes(new byte[32]); // the server random
            MessageDigest transcript = MessageDigest.getInstance("SHA-256");
            transcript.update(new byte[mode.equals("psk") ? 400 : 1200]);
            transcript.digest(); // the handshake hash over the handshake messages
            byte[] request = new byte[24];
            byte[] answer = CCMBlockCipher.encrypt(clientKey, nonce, additional, request, 8);
            CCMBlockCipher.decrypt(clientKey, nonce, additional, answer, 8); // GET /hello
            CCMBlockCipher.encrypt(serverKey, nonce, additional, new byte[36], 8); // 2.05 and the EUI-64
        }
    }

    private static KeyPair keyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] sign(KeyPair keys, byte[] data) {
        try {
            Signature signature = Signature.getInstance("SHA256withECDSA");
            signature.initSign(keys.getPrivate());
            signature.update(data);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate certificate(KeyPair subject, KeyPair issuer) {
        try {
            Instant now = Instant.now();
            return new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(
                    new X500Name("CN=floor CA"), BigInteger.ONE, Date.from(now), Date.from(now.plusSeconds(3600)),
                    new X500Name("CN=00-11-22-FF-FE-00-00-01"), subject.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuer.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
