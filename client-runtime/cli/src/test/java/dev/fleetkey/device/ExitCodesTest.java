package dev.fleetkey.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import dev.fleetkey.bundle.BadSignatureException;
import dev.fleetkey.bundle.BundleException;
import dev.fleetkey.bundle.BundleKind;
import dev.fleetkey.bundle.MalformedBundleException;
import dev.fleetkey.bundle.RollbackException;
import dev.fleetkey.bundle.UntrustedSignerException;
import dev.fleetkey.bundle.WrongKindException;
import dev.fleetkey.bundle.WrongProductLineException;
import dev.fleetkey.bundle.update.RotationRefusedException;
import dev.fleetkey.bundle.update.TamperedComponentException;
import dev.fleetkey.bundle.update.WrongHardwareClassException;
import dev.fleetkey.runtime.AlertReceivedException;
import dev.fleetkey.runtime.ConnectionFailedException;
import dev.fleetkey.runtime.HandshakeTimeoutException;
import dev.fleetkey.runtime.ServerConfigurationException;
import dev.fleetkey.runtime.UnknownServerException;
import dev.fleetkey.runtime.UntrustedServerException;
import dev.fleetkey.runtime.state.StateDirectoryException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Every failure a command can end with, and the exit code {@code --help} documents for it. */
class ExitCodesTest {

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of(new CommandLine.ParameterException(new CommandLine(new FleetkeyDevice()), "bad option"),
                        ExitCodes.USAGE),
                Arguments.of(new CommandFailure.Usage("--address is only for --from-server"), ExitCodes.USAGE),
                Arguments.of(new UnknownServerException("nope", List.of("fleetkey")), ExitCodes.USAGE),
                Arguments.of(new CommandFailure.Unusable("trust file t.pem does not exist"), ExitCodes.BUNDLE_INVALID),
                Arguments.of(new CommandFailure.Unusable("bundle b.der", new BadSignatureException("signature is invalid")),
                        ExitCodes.BUNDLE_INVALID),
                Arguments.of(new MalformedBundleException("not a CMS SignedData bundle"), ExitCodes.BUNDLE_INVALID),
                Arguments.of(new StateDirectoryException("not installed"), ExitCodes.BUNDLE_INVALID),
                Arguments.of(new ServerConfigurationException("no key"), ExitCodes.BUNDLE_INVALID),
                Arguments.of(new HandshakeTimeoutException(new InetSocketAddress("127.0.0.1", 5684)),
                        ExitCodes.CONNECTION_FAILED),
                Arguments.of(new AlertReceivedException("decrypt_error"), ExitCodes.CONNECTION_FAILED),
                Arguments.of(new dev.fleetkey.runtime.renewal.RenewalRefusedException("4.03", "revoked"),
                        ExitCodes.COAP_ERROR),
                Arguments.of(new dev.fleetkey.runtime.renewal.RenewedCertificateRejectedException("another device"),
                        ExitCodes.COAP_ERROR),
                Arguments.of(new dev.fleetkey.runtime.keys.DeviceKeyException("no such token"), ExitCodes.BUNDLE_INVALID),
                Arguments.of(new UntrustedServerException("unknown key"), ExitCodes.CONNECTION_FAILED),
                Arguments.of(new ConnectionFailedException("port unreachable"), ExitCodes.CONNECTION_FAILED),
                Arguments.of(new CommandFailure.CoapError("the server answered 4.04"), ExitCodes.COAP_ERROR),
                Arguments.of(new CommandFailure.ServiceRefused("HTTP 403"), ExitCodes.SERVICE_REFUSED),
                Arguments.of(new CommandFailure.ServiceUnreachable("cannot reach", null), ExitCodes.SERVICE_UNREACHABLE),
                Arguments.of(refused(new RollbackException(3, 4)), ExitCodes.ROLLBACK),
                Arguments.of(refused(new WrongProductLineException("a", "b")), ExitCodes.WRONG_PRODUCT_LINE),
                Arguments.of(refused(new WrongHardwareClassException("rev-a", "rev-b")), ExitCodes.WRONG_HARDWARE_CLASS),
                Arguments.of(refused(new TamperedComponentException("image differs")), ExitCodes.TAMPERED),
                Arguments.of(refused(new BadSignatureException("signature is invalid")), ExitCodes.TAMPERED),
                Arguments.of(refused(new RotationRefusedException(RotationRefusedException.Rule.NO_OVERLAP, "fleet",
                        "no overlap")), ExitCodes.ROTATION_REFUSED),
                Arguments.of(refused(new UntrustedSignerException("unknown signer")), ExitCodes.UNTRUSTED_SIGNER),
                Arguments.of(refused(new WrongKindException(BundleKind.FLEET, BundleKind.DEVICE)), ExitCodes.OTHER_REFUSAL),
                Arguments.of(new OutOfMemoryError("Java heap space"), ExitCodes.INTERNAL_ERROR),
                Arguments.of(new StackOverflowError(), ExitCodes.INTERNAL_ERROR),
                Arguments.of(new IllegalStateException("a bug"), ExitCodes.INTERNAL_ERROR));
    }

    private static CommandFailure.Refused refused(BundleException refusal) {
        return new CommandFailure.Refused("update package p.fkpkg", refusal);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("failures")
    void eachFailureEndsWithItsDocumentedCode(Throwable failure, int expected) {
        assertThat(new ExitCodes().getExitCode(failure)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"rollback, 10", "wrong-product-line, 11", "wrong-hardware-class, 12", "tampered, 13",
            "bad-signature, 13", "malformed, 13", "oversize, 13", "unsupported-format, 13", "expired, 14",
            "not-yet-valid, 14", "package-expired, 14", "package-not-yet-valid, 14", "rotation-no-valid-anchor, 15",
            "rotation-no-pin, 15", "rotation-no-overlap, 15", "untrusted-signer, 16", "wrong-kind, 17",
            "wrong-device, 17", "clear-secrets, 17", "undecryptable-secrets, 17"})
    void eachRefusalReasonHasTheCodeTheUpdateHelpLists(String reason, int expected) {
        assertThat(ExitCodes.refusal(reason)).isEqualTo(expected);
    }

    @Test
    void aRefusalSaysWhatWasRefusedAndWhy() {
        assertThat(refused(new RollbackException(3, 4)).getMessage())
                .startsWith("update package p.fkpkg refused (rollback): bundle sequence 3");
    }

    @Command(name = "exhausting")
    static final class ExhaustingCommand implements Callable<Integer> {
        @Override
        public Integer call() {
            throw new OutOfMemoryError("Java heap space");
        }
    }

    @Test
    void aCommandThatRunsOutOfMemoryEndsWithTheInternalErrorCodeNotTheUsageCode() {
        StringWriter err = new StringWriter();
        CommandLine commandLine = new CommandLine(new ExhaustingCommand())
                .setOut(new PrintWriter(new StringWriter())).setErr(new PrintWriter(err, true));

        int code = FleetkeyDevice.reportingFailures(commandLine).execute();

        assertThat(code).isEqualTo(ExitCodes.INTERNAL_ERROR).isNotEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).startsWith("fleetkey-device: out of memory (Java heap space)").contains("-Xmx");
    }

    @Command(name = "buggy")
    static final class BuggyCommand implements Callable<Integer> {
        @Override
        public Integer call() {
            throw new IllegalStateException("unexpected state");
        }
    }

    @Test
    void aBugIsReportedAsAnInternalErrorInOneLine() {
        StringWriter err = new StringWriter();
        CommandLine commandLine = new CommandLine(new BuggyCommand())
                .setOut(new PrintWriter(new StringWriter())).setErr(new PrintWriter(err, true));

        int code = FleetkeyDevice.reportingFailures(commandLine).execute();

        assertThat(code).isEqualTo(ExitCodes.INTERNAL_ERROR);
        assertThat(err.toString().strip())
                .isEqualTo("fleetkey-device: internal error: java.lang.IllegalStateException: unexpected state");
    }
}
