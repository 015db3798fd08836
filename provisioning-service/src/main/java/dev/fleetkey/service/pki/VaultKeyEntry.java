package dev.fleetkey.service.pki;

import java.security.Key;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A private key and its certificate chain as held in a {@link KeyVault}.
 *
 * @param privateKey the key (never printed)
 * @param chain      own certificate first, then its issuers
 */
public record VaultKeyEntry(PrivateKey privateKey, List<X509Certificate> chain) {

    public VaultKeyEntry {
        Objects.requireNonNull(privateKey, "privateKey");
        if (chain == null || chain.isEmpty()) {
            throw new IllegalArgumentException("a key entry needs at least its own certificate");
        }
        chain = List.copyOf(chain);
    }

    /**
     * A key store's entry as a vault key entry: empty when the alias holds no private key (none, or a secret key) or
     * no certificate chain with it.
     */
    static Optional<VaultKeyEntry> of(Key key, Certificate[] chain) {
        if (!(key instanceof PrivateKey privateKey) || chain == null || chain.length == 0) {
            return Optional.empty();
        }
        return Optional.of(new VaultKeyEntry(privateKey,
                Arrays.stream(chain).map(X509Certificate.class::cast).toList()));
    }

    /** The entry's own certificate. */
    public X509Certificate certificate() {
        return chain.get(0);
    }

    @Override
    public String toString() {
        return "VaultKeyEntry[subject=" + certificate().getSubjectX500Principal().getName()
                + ", chainLength=" + chain.size() + ", privateKey=<hidden>]";
    }
}
