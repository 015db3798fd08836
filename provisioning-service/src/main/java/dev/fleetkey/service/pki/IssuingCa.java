package dev.fleetkey.service.pki;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * A CA that signs certificates: its key and its chain up to and including the root.
 *
 * @param privateKey the CA's signing key (never printed)
 * @param chain      the CA's own certificate first, the root last
 */
public record IssuingCa(PrivateKey privateKey, List<X509Certificate> chain) {

    public IssuingCa {
        Objects.requireNonNull(privateKey, "privateKey");
        if (chain == null || chain.isEmpty()) {
            throw new IllegalArgumentException("an issuing CA needs its certificate");
        }
        chain = List.copyOf(chain);
    }

    /** The CA's own certificate. */
    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** The self-signed root at the top of the chain. */
    public X509Certificate root() {
        return chain.get(chain.size() - 1);
    }

    /** The chain a leaf is sent with: the issuing CAs without the root (the profile never sends the root). */
    public List<X509Certificate> chainWithoutRoot() {
        return chain.size() == 1 ? List.of() : chain.subList(0, chain.size() - 1);
    }

    @Override
    public String toString() {
        return "IssuingCa[subject=" + certificate().getSubjectX500Principal().getName() + ", privateKey=<hidden>]";
    }
}
