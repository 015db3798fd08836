package dev.fleetkey.service.endpoint;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import dev.fleetkey.bundle.Certificates;
import dev.fleetkey.bundle.Eui64;

/**
 * The database's answers to the endpoint, kept in memory so a handshake or a request on an established
 * session costs no query. Only found devices are kept (an unknown identity still asks the database, so a
 * device provisioned a moment ago connects at once). An answer is dropped when its device changes
 * ({@link #forget}, driven by {@link CredentialChangeWatcher}) and is never used past its
 * {@link KnownDevice#usableUntil()}; and the whole cache is trusted only while the change feed has answered
 * recently ({@link #confirmedFresh}): if the database stops answering the poll, every lookup goes to the
 * database again rather than trust answers that a revocation may have overtaken.
 */
final class CachedCredentialDirectory implements DeviceCredentialDirectory {

    private final DeviceCredentialDirectory database;
    private final Clock clock;
    private final int capacity;
    private final Map<Bytes, KnownDevice> byPskIdentity = new ConcurrentHashMap<>();
    private final Map<Bytes, KnownDevice> byRawPublicKey = new ConcurrentHashMap<>();
    private final Map<Bytes, KnownDevice> byCertificate = new ConcurrentHashMap<>();
    // bumped by every forget: an answer loaded while a change arrived is not kept
    private final AtomicLong generation = new AtomicLong();
    private volatile long trustedUntilNanos;

    /**
     * @param database the directory that reads the service's data
     * @param capacity most answers kept per kind (PSK, raw key, certificate); past it a kind starts over
     */
    CachedCredentialDirectory(DeviceCredentialDirectory database, Clock clock, int capacity) {
        this.database = database;
        this.clock = clock;
        this.capacity = capacity;
        this.trustedUntilNanos = System.nanoTime() - 1; // untrusted until the change feed first answers
    }

    /** The change feed answered now: cached answers may be used for {@code horizon} from now. */
    void confirmedFresh(Duration horizon) {
        trustedUntilNanos = System.nanoTime() + horizon.toNanos();
    }

    /** Drops every answer about {@code devices}. */
    void forget(Collection<Eui64> devices) {
        Set<Eui64> changed = Set.copyOf(devices);
        generation.incrementAndGet();
        for (Map<Bytes, KnownDevice> kind : kinds()) {
            kind.values().removeIf(known -> changed.contains(known.eui64()));
        }
    }

    /** Drops every answer. */
    void forgetAll() {
        generation.incrementAndGet();
        kinds().forEach(Map::clear);
    }

    /** How many answers are kept, all kinds together. */
    int size() {
        return kinds().stream().mapToInt(Map::size).sum();
    }

    @Override
    public Optional<KnownDevice> findByPskIdentity(byte[] identity) {
        if (identity == null || identity.length == 0) {
            return Optional.empty();
        }
        return cached(byPskIdentity, new Bytes(identity), () -> database.findByPskIdentity(identity));
    }

    /** From the cached handshake answer when there is one, so a request on a PSK session reads nothing. */
    @Override
    public boolean acceptsPskIdentity(Eui64 device, byte[] identity) {
        if (identity == null || identity.length == 0) {
            return false;
        }
        if (!trusted()) {
            return database.acceptsPskIdentity(device, identity);
        }
        return findByPskIdentity(identity).filter(known -> known.eui64().equals(device)).isPresent();
    }

    @Override
    public Optional<KnownDevice> findByRawPublicKey(byte[] subjectPublicKeyInfo) {
        if (subjectPublicKeyInfo == null || subjectPublicKeyInfo.length == 0) {
            return Optional.empty();
        }
        return cached(byRawPublicKey, new Bytes(subjectPublicKeyInfo),
                () -> database.findByRawPublicKey(subjectPublicKeyInfo));
    }

    @Override
    public Optional<KnownDevice> findByCertificate(Eui64 device, X509Certificate certificate) {
        return Certificates.encoded(certificate)
                .flatMap(der -> cached(byCertificate, new Bytes(der),
                        () -> database.findByCertificate(device, certificate)))
                .filter(known -> known.eui64().equals(device));
    }

    private Optional<KnownDevice> cached(Map<Bytes, KnownDevice> kind, Bytes key, Supplier<Optional<KnownDevice>> load) {
        if (!trusted()) {
            return load.get();
        }
        KnownDevice hit = kind.get(key);
        if (hit != null && hit.usableAt(clock.instant())) {
            return Optional.of(hit);
        }
        long before = generation.get();
        Optional<KnownDevice> loaded = load.get();
        if (loaded.isEmpty()) {
            kind.remove(key);
            return loaded;
        }
        if (kind.size() >= capacity) {
            kind.clear();
        }
        kind.put(key, loaded.get());
        if (generation.get() != before) {
            // a change arrived while the database answered: that answer may predate it
            kind.remove(key);
        }
        return loaded;
    }

    private boolean trusted() {
        return System.nanoTime() - trustedUntilNanos < 0;
    }

    private Collection<Map<Bytes, KnownDevice>> kinds() {
        return List.of(byPskIdentity, byRawPublicKey, byCertificate);
    }

    /** Bytes compared by value, as a map key. */
    private record Bytes(byte[] value) {
        Bytes {
            value = value.clone();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Bytes && Arrays.equals(((Bytes) other).value, value);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "Bytes[" + value.length + "]";
        }
    }
}
