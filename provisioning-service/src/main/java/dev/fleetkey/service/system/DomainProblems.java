package dev.fleetkey.service.system;

import dev.fleetkey.service.api.IdempotencyKeyInProgressException;
import dev.fleetkey.service.api.IdempotencyKeyReusedException;
import dev.fleetkey.service.bundles.RecipientKeyRequiredException;
import dev.fleetkey.service.bundles.UnbuildableBundleException;
import dev.fleetkey.service.credentials.PskIdentityInUseException;
import dev.fleetkey.service.devices.DeviceExistsException;
import dev.fleetkey.service.devices.DeviceNotFoundException;
import dev.fleetkey.service.devices.DeviceRevokedException;
import dev.fleetkey.service.devices.NoCertificateServerException;
import dev.fleetkey.service.devices.PublicKeyInUseException;
import dev.fleetkey.service.devices.TemplateMissingException;
import dev.fleetkey.service.est.EnrollmentRefusedException;
import dev.fleetkey.service.firmware.ProductLineNameException;
import dev.fleetkey.service.logins.BearerTokenRefusedException;
import dev.fleetkey.service.logins.LoginLockedException;
import dev.fleetkey.service.logins.TokenCannotMakeTokensException;
import dev.fleetkey.service.stations.BatchRunningException;
import dev.fleetkey.service.stations.QuotaExceededException;
import dev.fleetkey.service.stations.TemplateNotAllowedException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;

/**
 * How the API answers each domain failure: the one table from exception type to HTTP status. The problem type is
 * the failure's {@link FleetkeyException#reason()}; the field, {@code Retry-After} and HTTP hints (which path to
 * fetch, which header to send) are added here, so services need not know they are behind HTTP.
 */
final class DomainProblems {

    static final Map<Class<? extends FleetkeyException>, HttpStatus> STATUS = Map.ofEntries(
            Map.entry(InvalidFieldException.class, HttpStatus.BAD_REQUEST),
            Map.entry(BearerTokenRefusedException.class, HttpStatus.UNAUTHORIZED),
            Map.entry(TokenCannotMakeTokensException.class, HttpStatus.FORBIDDEN),
            Map.entry(TemplateNotAllowedException.class, HttpStatus.FORBIDDEN),
            Map.entry(EnrollmentRefusedException.class, HttpStatus.FORBIDDEN),
            Map.entry(NotFoundException.class, HttpStatus.NOT_FOUND),
            Map.entry(DeviceNotFoundException.class, HttpStatus.NOT_FOUND),
            Map.entry(StateConflictException.class, HttpStatus.CONFLICT),
            Map.entry(DeviceExistsException.class, HttpStatus.CONFLICT),
            Map.entry(DeviceRevokedException.class, HttpStatus.CONFLICT),
            Map.entry(PublicKeyInUseException.class, HttpStatus.CONFLICT),
            Map.entry(PskIdentityInUseException.class, HttpStatus.CONFLICT),
            Map.entry(IdempotencyKeyInProgressException.class, HttpStatus.CONFLICT),
            Map.entry(BatchRunningException.class, HttpStatus.CONFLICT),
            Map.entry(TemplateMissingException.class, HttpStatus.UNPROCESSABLE_CONTENT),
            Map.entry(NoCertificateServerException.class, HttpStatus.UNPROCESSABLE_CONTENT),
            Map.entry(RecipientKeyRequiredException.class, HttpStatus.UNPROCESSABLE_CONTENT),
            Map.entry(UnbuildableBundleException.class, HttpStatus.UNPROCESSABLE_CONTENT),
            Map.entry(IdempotencyKeyReusedException.class, HttpStatus.UNPROCESSABLE_CONTENT),
            Map.entry(ProductLineNameException.class, HttpStatus.UNPROCESSABLE_CONTENT),
            Map.entry(QuotaExceededException.class, HttpStatus.TOO_MANY_REQUESTS),
            Map.entry(LoginLockedException.class, HttpStatus.TOO_MANY_REQUESTS));

    /** The header {@code BundleController} reads the recipient key from (SealedBundleSecretsIT checks the hint). */
    private static final String RECIPIENT_HEADER = "Fleetkey-Recipient-Key";

    private DomainProblems() {
    }

    /** What the API answers for {@code e}: a status, a problem type, a detail, and maybe a field and headers. */
    record Answer(HttpStatus status, String type, String detail, String field, Map<String, String> headers) {
    }

    /** The answer for {@code e}, or empty for a failure without an entry in the table (a bug: answer 500). */
    static Optional<Answer> answer(FleetkeyException e) {
        HttpStatus status = STATUS.get(e.getClass());
        if (status == null) {
            return Optional.empty();
        }
        return Optional.of(new Answer(status, e.reason(), e.getMessage() + hint(e), e.field(), headers(e)));
    }

    private static Map<String, String> headers(FleetkeyException e) {
        if (e instanceof QuotaExceededException quota) {
            return Map.of("Retry-After", seconds(quota.retryAfter()));
        }
        if (e instanceof IdempotencyKeyInProgressException inProgress) {
            return Map.of("Retry-After", seconds(inProgress.retryAfter()));
        }
        if (e instanceof LoginLockedException locked) {
            return Map.of("Retry-After", seconds(locked.retryAfter()));
        }
        if (e instanceof BearerTokenRefusedException) {
            return Map.of("WWW-Authenticate", "Bearer realm=\"fleetkey\"");
        }
        return Map.of();
    }

    /** What to do over HTTP, for failures whose remedy is a request. */
    private static String hint(FleetkeyException e) {
        if (e instanceof DeviceExistsException exists && exists.visible()) {
            return ". Fetch it with GET /api/v1/devices/" + exists.eui64() + " or its bundle with GET /api/v1/devices/"
                    + exists.eui64() + "/bundle";
        }
        if (e instanceof BatchRunningException running) {
            return "; poll GET /api/v1/batches/" + running.batchId();
        }
        if (e instanceof RecipientKeyRequiredException) {
            return " as header " + RECIPIENT_HEADER + ": <base64 DER SubjectPublicKeyInfo>";
        }
        if (e instanceof QuotaExceededException) {
            return " (the Retry-After header says when)";
        }
        return "";
    }

    /** Whole seconds, at least 1, as {@code Retry-After} counts them. */
    static String seconds(Duration wait) {
        return Long.toString(Math.max(1, (wait.toMillis() + 999) / 1000));
    }
}
