package dev.fleetkey.runtime.dtls;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.fleetkey.runtime.testing.TestCertificates;

/** RFC 6125 server identity checks, one row per rule. */
class HostNamesTest {

    private static final TestCertificates.Issued CA = TestCertificates.ca("Names CA");

    static Stream<Arguments> rules() {
        return Stream.of(
                Arguments.of("exact dNSName", "CN=x", List.of("coap.example.net"), "coap.example.net", true),
                Arguments.of("case does not matter", "CN=x", List.of("CoAP.Example.NET"), "coap.example.net", true),
                Arguments.of("a trailing dot does not matter", "CN=x", List.of("coap.example.net."), "coap.example.net",
                        true),
                Arguments.of("any of several dNSNames", "CN=x", List.of("a.example.net", "coap.example.net"),
                        "coap.example.net", true),
                Arguments.of("another name", "CN=x", List.of("other.example.net"), "coap.example.net", false),
                Arguments.of("a suffix is not a match", "CN=x", List.of("example.net"), "coap.example.net", false),
                Arguments.of("wildcard covers one left-most label", "CN=x", List.of("*.example.net"),
                        "coap.example.net", true),
                Arguments.of("wildcard never covers two labels", "CN=x", List.of("*.example.net"),
                        "a.coap.example.net", false),
                Arguments.of("wildcard never stands for a whole domain", "CN=x", List.of("*.net"), "example.net",
                        false),
                Arguments.of("CN counts when there is no dNSName", "CN=coap.example.net", List.of(),
                        "coap.example.net", true),
                Arguments.of("CN is ignored when a dNSName exists", "CN=coap.example.net", List.of("other.example.net"),
                        "coap.example.net", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void serverIdentityFollowsRfc6125(String rule, String subject, List<String> dnsNames, String host, boolean match) {
        assertThat(HostNames.matches(TestCertificates.named(subject, dnsNames, CA).certificate(), host))
                .as(rule).isEqualTo(match);
    }
}
