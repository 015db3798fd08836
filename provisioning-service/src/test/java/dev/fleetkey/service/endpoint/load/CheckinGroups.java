package dev.fleetkey.service.endpoint.load;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;

/**
 * The service's check-in group commits as its {@code /actuator/prometheus} shows them ({@code
 * fleetkey_checkin_group_size}: count = commits, sum = check-ins written), read before and after the checkin
 * phase: how many check-ins shared a commit under the generator's load.
 */
final class CheckinGroups {

    /** Totals at one moment; {@code commits} is negative when the service did not answer. */
    record Reading(double commits, double checkins) {

        String since(Reading before, String mode) {
            if (commits < 0 || before.commits() < 0) {
                return "groups " + mode + " - (no fleetkey_checkin_group_size from /actuator/prometheus)";
            }
            double groups = commits - before.commits();
            double written = checkins - before.checkins();
            return String.format(Locale.ROOT, "groups %-5s %.0f check-ins in %.0f commits: %.1f per commit", mode,
                    written, groups, groups == 0 ? 0 : written / groups);
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI prometheus;
    private final String admin;

    CheckinGroups(String url, String adminUser, String adminPassword) {
        this.prometheus = URI.create(url + "/actuator/prometheus");
        this.admin = "Basic " + Base64.getEncoder().encodeToString((adminUser + ":" + adminPassword)
                .getBytes(StandardCharsets.UTF_8));
    }

    Reading read() {
        try {
            HttpResponse<String> scraped = http.send(HttpRequest.newBuilder(prometheus).header("Authorization", admin)
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            if (scraped.statusCode() != 200) {
                return new Reading(-1, 0);
            }
            return new Reading(value(scraped.body(), "fleetkey_checkin_group_size_count"),
                    value(scraped.body(), "fleetkey_checkin_group_size_sum"));
        } catch (Exception e) {
            return new Reading(-1, 0);
        }
    }

    private static double value(String exposition, String name) {
        return exposition.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElse(-1);
    }
}
