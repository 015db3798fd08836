package dev.fleetkey.device;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import dev.fleetkey.bundle.BundleException;
import dev.fleetkey.bundle.BundleJson;
import dev.fleetkey.bundle.BundlePayload;
import dev.fleetkey.bundle.BundleVerifier;
import dev.fleetkey.bundle.VerificationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "show", description = {"Print a bundle's content as JSON; secrets are redacted unless --reveal.",
        "Whether the signature was checked is said on stderr."})
final class ShowCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--bundle", required = true, paramLabel = "FILE", description = "the signed bundle (DER or PEM)")
    private Path bundle;

    @Option(names = "--trust", paramLabel = "PEM",
            description = "verify against this bundle-signer certificate first (without it the content is shown unverified)")
    private Path trust;

    @Option(names = "--reveal", description = "print PSKs and private keys instead of (redacted)")
    private boolean reveal;

    @Override
    public Integer call() throws CommandFailure {
        BundlePayload payload;
        String signature;
        try {
            if (trust != null) {
                payload = BundleFiles.verify(bundle, trust, VerificationContext.standalone()).payload();
                signature = "verified";
            } else {
                payload = BundleVerifier.readUnverified(BundleFiles.readBundle(bundle));
                signature = "not checked (pass --trust to verify)";
            }
        } catch (BundleException e) {
            throw new CommandFailure.Unusable("bundle " + bundle, e);
        }
        spec.commandLine().getErr().println("signature: " + signature);
        spec.commandLine().getOut().println(BundleJson.render(payload, reveal));
        return ExitCodes.OK;
    }
}
