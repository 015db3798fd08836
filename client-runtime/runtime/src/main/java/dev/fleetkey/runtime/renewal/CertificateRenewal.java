package dev.fleetkey.runtime.renewal;

import dev.fleetkey.bundle.BundleException;
import dev.fleetkey.bundle.BundlePayload;
import dev.fleetkey.bundle.ServerCredentials;
import dev.fleetkey.bundle.ServerEntry;
import dev.fleetkey.bundle.VerificationContext;
import dev.fleetkey.bundle.enroll.CertificationRequests;
import dev.fleetkey.runtime.AlertReceivedException;
import dev.fleetkey.runtime.ClientIdentity;
import dev.fleetkey.runtime.CoapReply;
import dev.fleetkey.runtime.DeviceRuntimeException;
import dev.fleetkey.runtime.SecureSession;
import dev.fleetkey.runtime.ServerConfigurationException;
import dev.fleetkey.runtime.SessionOptions;
import dev.fleetkey.runtime.UnknownServerException;
import dev.fleetkey.runtime.keys.DeviceKeyStore;
import dev.fleetkey.runtime.state.DeviceStateDirectory;
import dev.fleetkey.runtime.state.InstalledState;
import dev.fleetkey.runtime.state.RenewedCredential;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Renews a device's client certificate for one X.509 server with EST simple re-enrollment over the existing
 * DTLS credential (RFC 9148 {@code /.well-known/est/sren}): a new P-256 key made in the {@link DeviceKeyStore},
 * a PKCS#10 request naming the device, the answer checked ({@link RenewedCertificateCheck}), then the switch:
 * <ol>
 * <li>the new credential is written as pending in the state directory (the old one stays active);</li>
 * <li>a handshake with the new credential (one CoAP GET of {@code /.well-known/core}: any answer proves it);</li>
 * <li>pending renamed over active, the one commit point; then the old renewed key leaves the token.</li>
 * </ol>
 * A crash before step 3 leaves the old credential active and the new one pending; {@link #settlePending} (run
 * by {@link #renew} and by every command that connects) tries the pending one first and switches when its
 * handshake succeeds, and forgets it when the server refuses it. A crash after step 3 leaves the new one active.
 */
public final class CertificateRenewal {

    /** The EST-coaps simple re-enrollment resource (RFC 9148 section 5.1). */
    public static final String SIMPLE_REENROLL = "/.well-known/est/sren";
    /** CoAP content format of application/pkcs10. */
    static final int PKCS10 = 286;
    /** What a confirming handshake asks for: every CoAP server answers it, if only with 4.04. */
    static final String CONFIRM_PATH = "/.well-known/core";

    /** The points between the steps of a switch, where tests simulate a crash. */
    enum Step { PENDING_WRITTEN, CONFIRMED, SWITCHED }

    /** Called at each {@link Step}; throwing simulates a crash there. */
    interface Checkpoint {
        void reached(Step step);
    }

    /**
     * What a renewal did.
     *
     * @param previous the certificate used until now
     * @param renewed  the certificate now in use
     */
    public record Outcome(X509Certificate previous, X509Certificate renewed) {
    }

    private final DeviceStateDirectory state;
    private final DeviceKeyStore keys;
    private final Optional<InetSocketAddress> address;
    private final SessionOptions options;
    private final Checkpoint checkpoint;

    /**
     * @param state   the device's state directory
     * @param keys    where new keys are made and kept
     * @param address dial this instead of the server URI (the server is still authenticated)
     * @param options session options (state directory for saved sessions, maximum session age)
     */
    public CertificateRenewal(DeviceStateDirectory state, DeviceKeyStore keys, Optional<InetSocketAddress> address,
                              SessionOptions options) {
        this(state, keys, address, options, step -> { });
    }

    CertificateRenewal(DeviceStateDirectory state, DeviceKeyStore keys, Optional<InetSocketAddress> address,
                       SessionOptions options, Checkpoint checkpoint) {
        this.state = Objects.requireNonNull(state, "state");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.address = Objects.requireNonNull(address, "address");
        this.options = Objects.requireNonNull(options, "options");
        this.checkpoint = checkpoint;
    }

    /**
     * The device's own credential for {@code server} when it is not the bundle's: the renewed one, or the bundle's
     * certificate with its key in the token. Empty: the bundle's credential.
     */
    public Optional<ClientIdentity> identity(String server, InstalledState current) throws DeviceRuntimeException {
        Optional<RenewedCredential> renewed = state.renewedCredential(server, current);
        if (renewed.isPresent()) {
            return Optional.of(new ClientIdentity(keys.privateKey(renewed.get()), renewed.get().chain()));
        }
        Optional<java.security.PrivateKey> tokenKey = keys.bundleKey();
        if (tokenKey.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ClientIdentity(tokenKey.get(), Chains.parse(certificateEntry(current, server)
                .clientChain())));
    }

    /**
     * Renews the certificate for {@code server} and switches to it (see the class comment).
     *
     * @throws RenewalRefusedException               the server answered with an error; nothing changed
     * @throws RenewedCertificateRejectedException   the answer is not a certificate this device may use; nothing changed
     * @throws DeviceRuntimeException                the handshake or transport failed, the state directory or the
     *                                               token failed; the old credential stays in use
     */
    public Outcome renew(String server, Instant now) throws DeviceRuntimeException, BundleException {
        InstalledState current = state.current(now);
        settlePending(server, current);
        BundlePayload bundle = current.effectiveBundle();
        ServerCredentials.Certificates entry = certificateEntry(current, server);
        Optional<ClientIdentity> old = identity(server, current);
        List<X509Certificate> oldChain = old.map(ClientIdentity::chain).orElse(Chains.parse(entry.clientChain()));
        DeviceKeyStore.NewKey key = keys.generate();
        byte[] request;
        try {
            request = CertificationRequests.deviceRequest(current.identity().device(), key.publicKey(),
                    key.privateKey(), key.provider());
        } catch (IllegalArgumentException e) {
            throw new ServerConfigurationException("the new key cannot sign the certification request: " + e.getMessage());
        }
        CoapReply reply;
        try (SecureSession session = SecureSession.open(bundle, server, address, with(old))) {
            reply = session.post(SIMPLE_REENROLL, request, PKCS10, RenewedCertificateCheck.PKIX_CERT);
        }
        if (!reply.isSuccess()) {
            throw new RenewalRefusedException(reply.code(), reply.text());
        }
        X509Certificate leaf = RenewedCertificateCheck.leaf(reply.payload(),
                reply.contentFormat().orElse(RenewedCertificateCheck.PKIX_CERT), key.publicKey());
        List<X509Certificate> chain = RenewedCertificateCheck.check(leaf, current.identity().device(), oldChain,
                Chains.parse(entry.trustAnchors()), now, VerificationContext.DEFAULT_CLOCK_SKEW);
        RenewedCredential renewed = keys.keep(key, current.deviceBundle().bundleIdHex(), chain);
        state.stagePendingCredential(server, renewed);
        checkpoint.reached(Step.PENDING_WRITTEN);
        confirm(server, current, renewed);
        return new Outcome(oldChain.get(0), leaf);
    }

    /**
     * Finishes a renewal a crash interrupted: when a pending credential exists for {@code server}, runs a handshake
     * with it and switches to it. A server that refuses it with an alert makes the device forget it; any other
     * failure leaves it pending for the next try.
     *
     * @return the certificate switched to, if one was
     */
    public Optional<X509Certificate> settlePending(String server, InstalledState current) throws DeviceRuntimeException {
        Optional<RenewedCredential> pending = state.pendingCredential(server, current);
        if (pending.isEmpty()) {
            return Optional.empty();
        }
        confirm(server, current, pending.get());
        return Optional.of(pending.get().leaf());
    }

    private void confirm(String server, InstalledState current, RenewedCredential renewed)
            throws DeviceRuntimeException {
        ClientIdentity identity = new ClientIdentity(keys.privateKey(renewed), renewed.chain());
        try (SecureSession session = SecureSession.open(current.effectiveBundle(), server, address,
                options.withClientIdentity(identity))) {
            session.get(CONFIRM_PATH);
        } catch (AlertReceivedException refused) {
            state.discardPendingCredential(server);
            keys.remove(renewed);
            throw new RenewedCertificateRejectedException("the server refused a handshake with the renewed certificate"
                    + " (" + refused.alert() + ")", refused);
        }
        checkpoint.reached(Step.CONFIRMED);
        Optional<RenewedCredential> previous = state.renewedCredential(server, current);
        state.confirmPendingCredential(server);
        checkpoint.reached(Step.SWITCHED);
        if (previous.isPresent() && !previous.get().equals(renewed)) {
            keys.remove(previous.get());
        }
    }

    private SessionOptions with(Optional<ClientIdentity> identity) {
        return identity.isPresent() ? options.withClientIdentity(identity.get()) : options;
    }

    private static ServerCredentials.Certificates certificateEntry(InstalledState current, String server)
            throws DeviceRuntimeException {
        BundlePayload bundle = current.effectiveBundle();
        ServerEntry entry = bundle.server(server).orElseThrow(() -> new UnknownServerException(server,
                bundle.servers().stream().map(ServerEntry::name).toList()));
        if (!(entry.credentials() instanceof ServerCredentials.Certificates certificates)
                || certificates.clientChain().isEmpty()) {
            throw new ServerConfigurationException("server '" + server + "' is a " + entry.mode() + " server without"
                    + " a client certificate: only X.509 certificates are renewed");
        }
        return certificates;
    }
}
