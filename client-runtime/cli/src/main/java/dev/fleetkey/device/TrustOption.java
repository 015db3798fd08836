package dev.fleetkey.device;

import dev.fleetkey.bundle.BundleVerifier;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --trust PEM}, for the commands that verify bundles and packages against the bundle signer. */
final class TrustOption {

    @Option(names = "--trust", required = true, paramLabel = "PEM", description = "the bundle-signer certificate")
    private Path file;

    /** The trust file as given. */
    Path file() {
        return file;
    }

    /** A verifier that trusts the bundle signers of the trust file. */
    BundleVerifier verifier() throws CommandFailure.Unusable {
        return BundleFiles.verifier(file);
    }
}
