package dev.fleetkey.device;

import java.io.IOException;
import java.util.concurrent.Callable;

import com.upokecenter.cbor.CBORObject;

import dev.fleetkey.bundle.state.AcceptedSequences;
import dev.fleetkey.bundle.state.SequenceScope;
import dev.fleetkey.runtime.DeviceRuntimeException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code fleetkey-device checkin}: reports the firmware version and the sequences of the bundles the device
 * holds to a server's {@code POST /checkin} (CBOR). The device sequence is the bundle's own; the fleet
 * sequence comes from {@code --fleet-sequence} or, with {@code --state-dir}, from the accepted sequences there.
 */
@Command(name = "checkin", description = "Check in with a server: POST /checkin with the firmware version and "
        + "the bundle sequences held (CBOR).")
final class CheckinCommand implements Callable<Integer> {

    /** CoAP Content-Format of application/cbor. */
    private static final int CBOR = 60;

    @Spec
    private CommandSpec spec;

    @Mixin
    private ServerExchange exchange;

    @Option(names = "--firmware-version", required = true, paramLabel = "V",
            description = "the running firmware version, 1..64 printable characters, e.g. 2.1.0")
    private String firmwareVersion;

    @Option(names = "--fleet-sequence", paramLabel = "N", description = "the sequence of the fleet bundle held "
            + "(default: the one accepted in --state-dir, if any)")
    private Long fleetSequence;

    @Override
    public Integer call() throws CommandFailure, DeviceRuntimeException {
        if (firmwareVersion.isEmpty() || firmwareVersion.length() > 64 || !firmwareVersion.chars()
                .allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new CommandFailure.Usage("--firmware-version must be 1..64 printable ASCII characters without"
                    + " spaces, was '" + firmwareVersion + "'");
        }
        return exchange.run(spec, (session, bundle) -> {
            CBORObject body = CBORObject.NewOrderedMap()
                    .Add("firmware", firmwareVersion)
                    .Add("device-sequence", bundle.sequence());
            Long fleet = fleetSequence != null ? fleetSequence : acceptedFleetSequence(bundle.template().id());
            if (fleet != null) {
                body.Add("fleet-sequence", fleet);
            }
            return session.post("/checkin", body.EncodeToBytes(), CBOR);
        });
    }

    private Long acceptedFleetSequence(String productLine) {
        if (exchange.stateDirectory().isEmpty()) {
            return null;
        }
        try {
            long last = new AcceptedSequences(exchange.stateDirectory().get()).last(SequenceScope.fleet(productLine));
            return last < 0 ? null : last;
        } catch (IOException e) {
            // the check-in still goes out, without a fleet sequence
            return null;
        }
    }
}
