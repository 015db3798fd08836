package dev.fleetkey.service.pki;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import javax.crypto.SecretKey;

/** A {@link KeyVault} in memory, for tests and benchmarks that need no file. */
public final class InMemoryKeyVault implements KeyVault {

    private final Map<String, Object> entries = new ConcurrentHashMap<>();

    @Override
    public Optional<VaultKeyEntry> privateKeyEntry(String alias) {
        Object entry = entries.get(alias);
        return entry instanceof VaultKeyEntry ? Optional.of((VaultKeyEntry) entry) : Optional.empty();
    }

    @Override
    public void storePrivateKeyEntry(String alias, PrivateKey key, List<X509Certificate> chain) {
        entries.put(alias, new VaultKeyEntry(key, chain));
    }

    @Override
    public Optional<SecretKey> secretKey(String alias) {
        Object entry = entries.get(alias);
        return entry instanceof SecretKey ? Optional.of((SecretKey) entry) : Optional.empty();
    }

    @Override
    public void storeSecretKey(String alias, SecretKey key) {
        entries.put(alias, key);
    }

    @Override
    public Set<String> aliases() {
        return new TreeSet<>(entries.keySet());
    }

    @Override
    public void delete(String alias) {
        entries.remove(alias);
    }
}
