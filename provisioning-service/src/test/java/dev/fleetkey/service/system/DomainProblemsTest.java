package dev.fleetkey.service.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.service.api.IdempotencyKeyInProgressException;
import dev.fleetkey.service.api.IdempotencyKeyReusedException;
import dev.fleetkey.service.bundles.RecipientKeyRequiredException;
import dev.fleetkey.service.bundles.UnbuildableBundleException;
import dev.fleetkey.service.credentials.PskIdentityInUseException;
import dev.fleetkey.service.devices.Device;
import dev.fleetkey.service.devices.DeviceExistsException;
import dev.fleetkey.service.devices.DeviceNotFoundException;
import dev.fleetkey.service.devices.DeviceRevokedException;
import dev.fleetkey.service.devices.PublicKeyInUseException;
import dev.fleetkey.service.devices.TemplateMissingException;
import dev.fleetkey.service.firmware.ProductLineNameException;
import dev.fleetkey.service.logins.BearerTokenRefusedException;
import dev.fleetkey.service.logins.LoginLockedException;
import dev.fleetkey.service.logins.TokenCannotMakeTokensException;
import dev.fleetkey.service.stations.BatchRunningException;
import dev.fleetkey.service.stations.QuotaExceededException;
import dev.fleetkey.service.stations.Station;
import dev.fleetkey.service.stations.TemplateNotAllowedException;
import dev.fleetkey.service.devices.NoCertificateServerException;
import dev.fleetkey.service.est.EnrollmentRefusedException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.filter.AssignableTypeFilter;

class DomainProblemsTest {

    private static final Eui64 EUI64 = Eui64.parse("00-11-22-FF-FE-33-44-55");
    private static final Station STATION = new Station(7, "line-3", List.of("demo-sensor"), 60, null, true, true,
            Instant.EPOCH, Instant.EPOCH);
    private static final Device DEVICE = new Device(1, EUI64, "demo-sensor", 1, Device.State.PROVISIONED, Instant.EPOCH);

    /** Every domain failure with the status and problem type the API has always answered for it. */
    static Stream<Arguments> answers() {
        return Stream.of(
                Arguments.of(new InvalidFieldException("eui64", "bad"), 400, "invalid-field"),
                Arguments.of(new BearerTokenRefusedException("revoked"), 401, "unauthenticated"),
                Arguments.of(new TemplateNotAllowedException(STATION, "other"), 403, "template-not-allowed"),
                Arguments.of(new TokenCannotMakeTokensException(), 403, "token-cannot-make-tokens"),
                Arguments.of(new EnrollmentRefusedException("not trusted"), 403, "enrollment-refused"),
                Arguments.of(new NoCertificateServerException("demo-psk@1"), 422, "no-certificate-server"),
                Arguments.of(new NotFoundException("No station 9"), 404, "not-found"),
                Arguments.of(new DeviceNotFoundException(EUI64), 404, "not-found"),
                Arguments.of(new StateConflictException("station-exists", "taken"), 409, "station-exists"),
                Arguments.of(new DeviceExistsException(EUI64, true, "exists"), 409, "device-exists"),
                Arguments.of(new DeviceRevokedException(EUI64, "revoked"), 409, "device-revoked"),
                Arguments.of(new PublicKeyInUseException(new byte[32], DEVICE, DEVICE, "csr"), 409, "public-key-in-use"),
                Arguments.of(new PskIdentityInUseException("id-1"), 409, "psk-identity-in-use"),
                Arguments.of(new IdempotencyKeyInProgressException("k"), 409, "idempotency-key-in-progress"),
                Arguments.of(new BatchRunningException(4), 409, "batch-running"),
                Arguments.of(new TemplateMissingException(EUI64, "gone@1"), 422, "template-missing"),
                Arguments.of(new RecipientKeyRequiredException("demo-sensor@1"), 422, "recipient-key-required"),
                Arguments.of(new UnbuildableBundleException(UnbuildableBundleException.Problem.CREDENTIAL_MISSING, "s",
                        "none"), 422, "credential-missing"),
                Arguments.of(new UnbuildableBundleException(UnbuildableBundleException.Problem.SERVER_HOST_INVALID, "s",
                        "ip"), 422, "server-host-invalid"),
                Arguments.of(new UnbuildableBundleException(UnbuildableBundleException.Problem.CREDENTIAL_MODE_MISMATCH,
                        "s", "mode"), 422, "credential-mode-mismatch"),
                Arguments.of(new IdempotencyKeyReusedException("k"), 422, "idempotency-key-reused"),
                Arguments.of(new ProductLineNameException("a/b"), 422, "product-line-name"),
                Arguments.of(new QuotaExceededException(STATION, Duration.ofMillis(1500)), 429, "quota-exceeded"),
                Arguments.of(LoginLockedException.badTokenFromLockedAddress(Duration.ofSeconds(30)), 429, "login-throttled"));
    }

    @ParameterizedTest(name = "{2} answers {1}")
    @MethodSource("answers")
    void eachDomainFailureAnswersItsStatusAndProblemType(FleetkeyException e, int status, String type) {
        DomainProblems.Answer answer = DomainProblems.answer(e).orElseThrow();

        assertThat(answer.status().value()).isEqualTo(status);
        assertThat(answer.type()).isEqualTo(type);
        assertThat(answer.detail()).startsWith(e.getMessage());
    }

    @Test
    void everyDomainFailureOfTheServiceHasAnEntryInTheTable() {
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AssignableTypeFilter(FleetkeyException.class));
        List<String> failures = scanner.findCandidateComponents("dev.fleetkey.service").stream()
                .map(BeanDefinition::getBeanClassName).toList();
        List<String> mapped = DomainProblems.STATUS.keySet().stream().map(Class::getName).toList();

        assertThat(failures).hasSizeGreaterThan(15);
        assertThat(mapped).containsAll(failures);
        assertThat(answers().map(a -> a.get()[0].getClass().getName()).toList()).containsAll(failures);
    }

    @Test
    void aFieldFailureNamesTheFieldAndAKeyInUseTheFieldThatCarriedIt() {
        assertThat(DomainProblems.answer(new InvalidFieldException("eui64", "bad")).orElseThrow().field())
                .isEqualTo("eui64");
        assertThat(DomainProblems.answer(new PublicKeyInUseException(new byte[32], DEVICE, DEVICE, "csr"))
                .orElseThrow().field()).isEqualTo("csr");
        assertThat(DomainProblems.answer(new DeviceRevokedException(EUI64, "revoked")).orElseThrow().field()).isNull();
    }

    @Test
    void waitingFailuresSayWhenToRetryInWholeSecondsAndARefusedTokenNamesTheBearerScheme() {
        assertThat(DomainProblems.answer(new QuotaExceededException(STATION, Duration.ofMillis(1500))).orElseThrow()
                .headers()).isEqualTo(Map.of("Retry-After", "2"));
        assertThat(DomainProblems.answer(new IdempotencyKeyInProgressException("k")).orElseThrow().headers())
                .isEqualTo(Map.of("Retry-After", "1"));
        assertThat(DomainProblems.answer(LoginLockedException.badTokenFromLockedAddress(Duration.ofMillis(10)))
                .orElseThrow().headers()).isEqualTo(Map.of("Retry-After", "1"));
        assertThat(DomainProblems.answer(new BearerTokenRefusedException("revoked")).orElseThrow().headers())
                .isEqualTo(Map.of("WWW-Authenticate", "Bearer realm=\"fleetkey\""));
    }

    @Test
    void theHttpHintsAreAddedByTheWebMappingNotWrittenByTheServices() {
        DeviceExistsException own = new DeviceExistsException(EUI64, true, "Device " + EUI64 + " is already provisioned");
        DeviceExistsException others = new DeviceExistsException(EUI64, false, "Device " + EUI64 + " is someone's");
        RecipientKeyRequiredException recipient = new RecipientKeyRequiredException("demo-sensor@1");

        assertThat(own.getMessage()).doesNotContain("/api/");
        assertThat(DomainProblems.answer(own).orElseThrow().detail())
                .endsWith("Fetch it with GET /api/v1/devices/" + EUI64 + " or its bundle with GET /api/v1/devices/"
                        + EUI64 + "/bundle");
        assertThat(DomainProblems.answer(others).orElseThrow().detail()).doesNotContain("/api/");
        assertThat(recipient.getMessage()).doesNotContain("Fleetkey-Recipient-Key");
        assertThat(DomainProblems.answer(recipient).orElseThrow().detail()).contains("as header Fleetkey-Recipient-Key");
    }
}
