package dev.fleetkey.service.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.service.bundles.UnbuildableBundleException;
import dev.fleetkey.service.devices.DeviceNotFoundException;
import dev.fleetkey.service.devices.DeviceRevokedException;
import dev.fleetkey.service.system.FleetkeyException;
import dev.fleetkey.service.system.InvalidFieldException;
import dev.fleetkey.service.system.NotFoundException;
import dev.fleetkey.service.system.StateConflictException;
import java.util.stream.Stream;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SessionResourceCodesTest {

    private static final Eui64 EUI64 = Eui64.parse("00-11-22-FF-FE-33-44-55");

    static Stream<Arguments> codes() {
        return Stream.of(
                Arguments.of(new InvalidFieldException("sequence", "bad"), ResponseCode.BAD_REQUEST),
                Arguments.of(new NotFoundException("No firmware package 3"), ResponseCode.NOT_FOUND),
                Arguments.of(new DeviceNotFoundException(EUI64), ResponseCode.FORBIDDEN),
                Arguments.of(new DeviceRevokedException(EUI64, "revoked"), ResponseCode.FORBIDDEN),
                Arguments.of(new StateConflictException("wrong-state", "verified"), ResponseCode.FORBIDDEN),
                Arguments.of(new UnbuildableBundleException(UnbuildableBundleException.Problem.CREDENTIAL_MISSING, "s",
                        "none"), ResponseCode.FORBIDDEN));
    }

    @ParameterizedTest(name = "{0} answers {1}")
    @MethodSource("codes")
    void aDomainFailureAnswersTheDeviceWithItsCoapCode(FleetkeyException e, ResponseCode code) {
        assertThat(SessionResource.codeFor(e)).isEqualTo(code);
    }
}
