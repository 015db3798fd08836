package dev.fleetkey.service.pki.bench;

import java.security.KeyPair;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.bundle.credentials.CertificateCredential;
import dev.fleetkey.bundle.credentials.PskCredential;
import dev.fleetkey.bundle.credentials.RawPublicKeyCredential;
import dev.fleetkey.service.credentials.DeviceCredentialIssuer;
import dev.fleetkey.service.credentials.PskIdentityGenerator;
import dev.fleetkey.service.credentials.PskIdentityRegistry;
import dev.fleetkey.service.credentials.PskIdentityScheme;
import dev.fleetkey.service.credentials.PskIssuer;
import dev.fleetkey.service.credentials.PskKeyGenerator;
import dev.fleetkey.service.pki.CertificateAuthorities;
import dev.fleetkey.service.pki.CertificateIssuer;
import dev.fleetkey.service.pki.CertificateProfile;
import dev.fleetkey.service.pki.InMemoryKeyVault;
import dev.fleetkey.service.pki.P256Crypto;
import dev.fleetkey.service.pki.SerialNumbers;
import dev.fleetkey.service.pki.SerialRegistry;

/**
 * Issuance per second for each credential mode next to the raw P-256 cost (key generation, ECDSA sign and
 * verify), for BouncyCastle and SunEC in the same run. Measures and prints; never fails a build.
 *
 * <p>Run (from the repository root; short iterations, the defaults below):
 * <pre>
 * ./mvnw -q -B -pl provisioning-service -am test-compile dependency:build-classpath \
 *     -Dmdep.includeScope=test -Dmdep.outputFile=target/test.classpath
 * java -cp provisioning-service/target/test-classes:provisioning-service/target/classes:$(cat provisioning-service/target/test.classpath) \
 *     dev.fleetkey.service.pki.bench.PkiBenchmarks
 * </pre>
 * Any JMH command-line option may follow the class name (e.g. {@code -wi 5 -i 10 -r 5s} for a longer
 * run, or a regular expression to select benchmarks).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PkiBenchmarks {

    private static final byte[] TO_SIGN = new byte[300];

    @Param({"BC", "SunEC"})
    public String provider;

    private P256Crypto crypto;
    private KeyPair signingKeys;
    private byte[] signature;
    private PskIssuer pskIssuer;
    private DeviceCredentialIssuer devices;
    private PublicKey deviceMadeKey;
    private final AtomicLong nextDevice = new AtomicLong();

    @Setup
    public void setUp() throws Exception {
        crypto = "BC".equals(provider) ? new P256Crypto(P256Crypto.bouncyCastle(), new SecureRandom())
                : P256Crypto.sunEc();
        signingKeys = crypto.generateKeyPair();
        signature = sign();
        pskIssuer = new PskIssuer(PskKeyGenerator.strong(), new PskIdentityGenerator(new SecureRandom()),
                PskIdentityRegistry.inMemory());
        SerialNumbers serials = new SerialNumbers(new SecureRandom(), SerialRegistry.inMemory());
        CertificateAuthorities cas = CertificateAuthorities.openOrCreate(new InMemoryKeyVault(), crypto, serials,
                Clock.systemUTC(), "Benchmark");
        devices = new DeviceCredentialIssuer(new CertificateIssuer(cas.deviceCa(),
                CertificateProfile.deviceClient(serials, Clock.systemUTC()), crypto), crypto);
        deviceMadeKey = crypto.generateKeyPair().getPublic();
    }

    @Benchmark
    public KeyPair rawP256KeyGeneration() {
        return crypto.generateKeyPair();
    }

    @Benchmark
    public byte[] rawEcdsaSign() throws Exception {
        return sign();
    }

    @Benchmark
    public boolean rawEcdsaVerify() throws Exception {
        Signature verifier = Signature.getInstance(P256Crypto.SIGNATURE_ALGORITHM, crypto.provider());
        verifier.initVerify(signingKeys.getPublic());
        verifier.update(TO_SIGN);
        return verifier.verify(signature);
    }

    /** Random 16-byte key and identity from the strong RNG; no public-key crypto, so no provider difference. */
    @Benchmark
    public PskCredential issuePsk() {
        return pskIssuer.issue(device(), 16, PskIdentityScheme.defaultScheme());
    }

    @Benchmark
    public RawPublicKeyCredential issueRawPublicKey() {
        return devices.issueRawPublicKey();
    }

    /** Key pair made here + certificate: keygen + one signature + encoding. */
    @Benchmark
    public CertificateCredential issueClientCertificate() {
        return devices.issueClientCertificate(device(), Duration.ofDays(365));
    }

    /** Key made on the device: one signature + encoding. */
    @Benchmark
    public CertificateCredential issueClientCertificateForDeviceKey() {
        return devices.issueClientCertificate(device(), Duration.ofDays(365), deviceMadeKey);
    }

    private Eui64 device() {
        return new Eui64(nextDevice.incrementAndGet());
    }

    private byte[] sign() throws Exception {
        Signature signer = Signature.getInstance(P256Crypto.SIGNATURE_ALGORITHM, crypto.provider());
        signer.initSign(signingKeys.getPrivate(), crypto.random());
        signer.update(TO_SIGN);
        return signer.sign();
    }

    public static void main(String[] args) throws RunnerException, CommandLineOptionException {
        new Runner(new OptionsBuilder()
                .include(PkiBenchmarks.class.getName())
                .forks(1)
                .threads(1)
                .warmupIterations(2)
                .warmupTime(TimeValue.seconds(1))
                .measurementIterations(3)
                .measurementTime(TimeValue.seconds(2))
                .parent(new CommandLineOptions(args))
                .build()).run();
    }
}
