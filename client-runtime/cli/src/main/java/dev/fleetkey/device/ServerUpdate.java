package dev.fleetkey.device;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import com.upokecenter.cbor.CBORException;
import com.upokecenter.cbor.CBORObject;
import com.upokecenter.cbor.CBORType;

import dev.fleetkey.bundle.BundleException;
import dev.fleetkey.runtime.CoapReply;
import dev.fleetkey.runtime.DeviceRuntimeException;
import dev.fleetkey.runtime.SecureSession;
import dev.fleetkey.runtime.SessionOptions;
import dev.fleetkey.runtime.state.DeviceStateDirectory;
import dev.fleetkey.runtime.state.InstalledState;
import dev.fleetkey.runtime.state.StateDirectoryException;
import dev.fleetkey.runtime.state.UpdatePlan;

/**
 * {@code update --from-server NAME}: a DTLS session on the state directory's current bundles, {@code GET
 * /config} with the ETag of the last answer applied, and the delivered bundles checked and applied through
 * the state directory's update machinery (FORMAT.md section 12). The ETag is remembered only once applied.
 */
final class ServerUpdate {

    private final Path stateDirectory;
    private final Path trust;
    private final String server;
    private final String address;
    private final boolean dryRun;

    ServerUpdate(Path stateDirectory, Path trust, String server, String address, boolean dryRun) {
        this.stateDirectory = stateDirectory;
        this.trust = trust;
        this.server = server;
        this.address = address;
        this.dryRun = dryRun;
    }

    int run(PrintWriter out) throws CommandFailure, DeviceRuntimeException {
        Optional<InetSocketAddress> override = address == null ? Optional.empty()
                : Optional.of(ServerExchange.parseAddress(address));
        DeviceStateDirectory state = DeviceStateDirectory.open(stateDirectory, BundleFiles.verifier(trust));
        InstalledState current;
        try {
            current = state.current(Instant.now());
        } catch (BundleException e) {
            throw new CommandFailure.Unusable("the state directory's current bundles are refused (" + e.reason()
                    + "): " + e.getMessage());
        }
        Optional<byte[]> tag = state.configTag(server);
        CoapReply reply;
        try (SecureSession session = SecureSession.open(current.effectiveBundle(), server, override,
                SessionOptions.defaults().withStateDirectory(stateDirectory))) {
            reply = session.get("/config", tag.map(List::of).orElse(List.of()));
        }
        if (reply.code().equals("2.03")) {
            out.println("up to date: " + server + " has nothing newer (fleet sequence "
                    + PlanReport.fleetSequence(current) + ")");
            return ExitCodes.OK;
        }
        if (!reply.code().equals("2.05")) {
            throw new CommandFailure.CoapError("GET /config: the server answered " + reply.code()
                    + (reply.text().isEmpty() ? "" : ": " + reply.text()));
        }
        byte[] fleet;
        byte[] device;
        try {
            CBORObject map = CBORObject.DecodeFromBytes(reply.payload());
            fleet = byteString(map, "fleet");
            if (fleet == null) {
                throw new CBORException("it has no \"fleet\" byte string");
            }
            device = byteString(map, "device");
        } catch (CBORException | IllegalStateException e) {
            throw new CommandFailure.CoapError("GET /config answered no config map"
                    + " {\"fleet\": bstr, ? \"device\": bstr} (FORMAT.md section 12): " + e.getMessage());
        }
        try {
            return apply(state, fleet, device, reply.etag(), out);
        } catch (BundleException e) {
            throw new CommandFailure.Refused("config from " + server, e);
        }
    }

    private int apply(DeviceStateDirectory state, byte[] fleet, byte[] device, byte[] etag, PrintWriter out)
            throws BundleException, StateDirectoryException {
        Instant now = Instant.now();
        UpdatePlan plan = state.planBundles(fleet, device, now);
        if (plan.nothingToDo()) {
            if (!dryRun && etag.length > 0) {
                state.rememberConfigTag(server, etag);
            }
            out.println("up to date: the fleet bundle from " + server + " is the one held (sequence "
                    + plan.fleetBundle().sequence() + ")");
            return ExitCodes.OK;
        }
        out.println("config from " + server + " verified: fleet bundle sequence " + plan.fleetBundle().sequence()
                + (plan.fleetChanged() ? " (current " + PlanReport.fleetSequence(plan.from()) + ")"
                        : " (already held)"));
        if (!PlanReport.printChanges(plan, dryRun, out)) {
            return ExitCodes.OK;
        }
        InstalledState applied = state.apply(plan, now);
        if (etag.length > 0) {
            state.rememberConfigTag(server, etag);
        }
        out.println("applied: now on " + applied.slot() + " (fleet sequence " + applied.fleetSequence()
                + ", device sequence " + applied.deviceBundle().sequence() + "); previous state "
                + plan.from().slot() + " kept for fallback");
        return ExitCodes.OK;
    }

    private static byte[] byteString(CBORObject map, String key) {
        if (map.getType() != CBORType.Map) {
            throw new IllegalStateException("it is not a CBOR map");
        }
        CBORObject value = map.get(key);
        if (value == null) {
            return null;
        }
        if (value.getType() != CBORType.ByteString) {
            throw new IllegalStateException("\"" + key + "\" is not a byte string");
        }
        return value.GetByteString();
    }
}
