package dev.fleetkey.device;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import dev.fleetkey.bundle.BundleException;
import dev.fleetkey.bundle.BundlePayload;
import dev.fleetkey.bundle.VerificationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "verify", description = "Check a bundle's signature, format and validity against a trusted signer.")
final class VerifyCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--bundle", required = true, paramLabel = "FILE", description = "the signed bundle (DER or PEM)")
    private Path bundle;

    @Mixin
    private TrustOption trust;

    @Override
    public Integer call() throws CommandFailure {
        BundlePayload payload;
        try {
            payload = BundleFiles.verify(bundle, trust.file(), VerificationContext.standalone()).payload();
        } catch (BundleException e) {
            throw new CommandFailure.Unusable("bundle " + bundle, e);
        }
        spec.commandLine().getOut().println("bundle is valid: " + payload.kind().name().toLowerCase()
                + " bundle " + payload.bundleIdHex() + ", sequence " + payload.sequence()
                + (payload.device() == null ? "" : ", device " + payload.device().canonical())
                + ", valid until " + payload.notAfter());
        return ExitCodes.OK;
    }
}
