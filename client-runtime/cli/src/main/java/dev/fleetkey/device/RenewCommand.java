package dev.fleetkey.device;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;

import dev.fleetkey.bundle.BundleException;
import dev.fleetkey.runtime.DeviceRuntimeException;
import dev.fleetkey.runtime.SessionOptions;
import dev.fleetkey.runtime.renewal.CertificateRenewal;
import dev.fleetkey.runtime.state.DeviceStateDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "renew", description = "Renew the device's certificate for an X.509 server: a new P-256 key (in the"
        + " token with the PKCS#11 options), EST simple re-enrollment (RFC 9148 /.well-known/est/sren) over the current"
        + " DTLS credential, the new certificate checked (this device's EUI-64, the new key, the bundle's trust"
        + " anchors) and switched to in the state directory once a handshake with it has succeeded.",
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:renewed", "1:usage error (bad option, unknown"
                + " server)", "2:state directory, bundle, token or key unusable, or the server is not an X.509 server",
                "3:DTLS handshake or transport failure", "4:the server refused the renewal (e.g. 4.03 for a revoked"
                + " device), or answered with a certificate this device must not use",
                "14:the current bundle has expired", "17:the current bundle no longer verifies",
                ExitCodes.INTERNAL_ERROR_LINE})
final class RenewCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--state-dir", required = true, paramLabel = "DIR", description = "the device's state directory")
    private Path stateDirectory;

    @Option(names = "--trust", required = true, paramLabel = "PEM", description = "the bundle-signer certificate")
    private Path trust;

    @Option(names = "--server", required = true, paramLabel = "NAME", description = "the X.509 server's name in the"
            + " bundle; the certificate for it is renewed, by that server")
    private String server;

    @Option(names = "--address", paramLabel = "HOST:PORT",
            description = "dial this address instead of the server URI's (the server is still authenticated)")
    private String address;

    @Mixin
    private TokenOptions token;

    @Override
    public Integer call() throws CommandFailure, DeviceRuntimeException {
        Instant now = Instant.now();
        DeviceStateDirectory state = DeviceStateDirectory.open(stateDirectory, BundleFiles.verifier(trust));
        CertificateRenewal renewal = new CertificateRenewal(state, token.keyStore(),
                address == null ? Optional.empty() : Optional.of(ServerExchange.parseAddress(address)),
                SessionOptions.defaults().withStateDirectory(stateDirectory));
        CertificateRenewal.Outcome outcome;
        try {
            outcome = renewal.renew(server, now);
        } catch (BundleException e) {
            throw new CommandFailure.Refused("the current state's bundle", e);
        }
        spec.commandLine().getOut().println("renewed the certificate for server '" + server + "': serial "
                + outcome.previous().getSerialNumber().toString(16) + " -> " + outcome.renewed().getSerialNumber()
                .toString(16) + ", valid until " + outcome.renewed().getNotAfter().toInstant());
        return ExitCodes.OK;
    }
}
