package dev.fleetkey.service.stations.sim;

import dev.fleetkey.bundle.BundleKind;
import dev.fleetkey.bundle.BundleSigner;
import dev.fleetkey.bundle.CipherSuite;
import dev.fleetkey.bundle.CredentialMode;
import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.bundle.ServerCredentials;
import dev.fleetkey.bundle.ServerEntry;
import dev.fleetkey.bundle.testing.TestBundles;
import dev.fleetkey.service.pki.P256Crypto;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.math.BigInteger;
import java.net.URI;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;

/**
 * The least work one device costs, with no HTTP, database or sealing: the key material of the mode,
 * the certificate signature for X.509, and one signed bundle. Measured with the same provider the service
 * prefers, on {@code threads} threads for {@code duration}.
 */
final class CryptoFloor {

    private static final URI SERVER = URI.create("coaps://localhost:5684");

    private final P256Crypto crypto = P256Crypto.preferred();
    private final BundleSigner signer = TestBundles.signer();
    private final KeyPair issuer = crypto.generateKeyPair();

    /** Devices per second, and the CPU time each device cost on the measuring threads. */
    record Rate(double perSecond, double cpuMillisPerDevice) {
    }

    /** Measures {@code mode} on {@code threads} threads for {@code duration}, after a warm-up of a third of it. */
    Rate measure(String mode, int threads, Duration duration) throws Exception {
        run(mode, threads, duration.dividedBy(3));
        return run(mode, threads, duration);
    }

    private Rate run(String mode, int threads, Duration duration) throws Exception {
        AtomicLong done = new AtomicLong();
        AtomicLong cpuNanos = new AtomicLong();
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            long start = System.nanoTime();
            long end = start + duration.toNanos();
            List<Future<?>> runs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                runs.add(pool.submit(() -> {
                    long cpu0 = cpu.getCurrentThreadCpuTime();
                    long n = 0;
                    while (System.nanoTime() < end) {
                        oneDevice(mode, n++);
                        done.incrementAndGet();
                    }
                    cpuNanos.addAndGet(cpu.getCurrentThreadCpuTime() - cpu0);
                    return null;
                }));
            }
            for (Future<?> run : runs) {
                run.get();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return new Rate(done.get() / seconds, cpuNanos.get() / 1e6 / done.get());
        } finally {
            pool.shutdown();
        }
    }

    private void oneDevice(String mode, long n) throws Exception {
        ServerEntry entry;
        switch (mode) {
            case "psk": {
                byte[] identity = new byte[16];
                byte[] key = new byte[16];
                crypto.random().nextBytes(identity);
                crypto.random().nextBytes(key);
                entry = new ServerEntry("fleetkey", SERVER, null, CredentialMode.PSK,
                        List.of(CipherSuite.TLS_PSK_WITH_AES_128_CCM_8), new ServerCredentials.Psk(identity, key));
                break;
            }
            case "rpk": {
                KeyPair device = crypto.generateKeyPair();
                entry = new ServerEntry("fleetkey", SERVER, null, CredentialMode.RAW_PUBLIC_KEY,
                        List.of(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8), new ServerCredentials.RawPublicKey(
                                device.getPrivate().getEncoded(), device.getPublic().getEncoded(),
                                List.of(issuer.getPublic().getEncoded()), List.of()));
                break;
            }
            case "x509": {
                KeyPair device = crypto.generateKeyPair();
                Instant now = Instant.now();
                X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(new X500Name("CN=Floor CA"),
                        BigInteger.valueOf(n + 1), java.util.Date.from(now), java.util.Date.from(now.plus(Duration.ofDays(365))),
                        new X500Name("CN=00-11-22-FF-FE-33-44-55"), device.getPublic());
                byte[] certificate = builder.build(crypto.signer(issuer.getPrivate())).getEncoded();
                entry = new ServerEntry("fleetkey", SERVER, null, CredentialMode.X509,
                        List.of(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8), new ServerCredentials.Certificates(
                                device.getPrivate().getEncoded(), List.of(certificate), List.of(certificate)));
                break;
            }
            default:
                throw new IllegalArgumentException("mode must be psk, rpk or x509, not " + mode);
        }
        signer.sign(TestBundles.payload(BundleKind.DEVICE, Eui64.parse("00-11-22-FF-FE-33-44-55"), n + 1, List.of(entry)));
    }
}
