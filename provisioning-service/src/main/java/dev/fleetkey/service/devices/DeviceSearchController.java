package dev.fleetkey.service.devices;

import dev.fleetkey.service.callers.Caller;
import dev.fleetkey.service.system.InvalidFieldException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * {@code GET /api/v1/devices} (a page of the devices matching a filter), its streamed export and the summary
 * counts. Users of every role may call them; a station may list only the devices it provisioned, and neither
 * exports nor reads the summary (see {@link DeviceSearchSecurityConfiguration}).
 */
@RestController
class DeviceSearchController {

    private static final Set<String> PAGING = Set.of("cursor", "limit", "order");

    private final DeviceSearch search;
    private final DeviceQueries queries;

    DeviceSearchController(DeviceSearch search, DeviceQueries queries) {
        this.search = search;
        this.queries = queries;
    }

    /** One device in a list: identifiers, state, who made it and its credential modes; never a key. */
    record DeviceListItem(String eui64, String template, String state, Instant createdAt, String station,
            List<String> modes, Map<String, String> links) {
    }

    /** A page; {@code next} is the URL of the next page (also in the Link header), null on the last. */
    record DeviceList(List<DeviceListItem> devices, String next) {
    }

    @Operation(summary = "List devices matching a filter, in pages", description = DeviceSearchDocs.LIST,
            parameters = {
                @Parameter(in = ParameterIn.QUERY, name = "state", example = "VERIFIED",
                        schema = @Schema(allowableValues = {"PROVISIONED", "VERIFIED", "FAILED", "REVOKED"})),
                @Parameter(in = ParameterIn.QUERY, name = "template", example = "demo-x509@2",
                        description = "A template id, or id@version"),
                @Parameter(in = ParameterIn.QUERY, name = "mode", example = "x509",
                        description = "Devices with a credential of this mode",
                        schema = @Schema(allowableValues = {"psk", "rpk", "x509"})),
                @Parameter(in = ParameterIn.QUERY, name = "station", example = "line-7",
                        description = "Name of the station that provisioned the devices"),
                @Parameter(in = ParameterIn.QUERY, name = "createdFrom", example = "2026-11-25",
                        description = "ISO-8601 date (midnight UTC) or instant, inclusive"),
                @Parameter(in = ParameterIn.QUERY, name = "createdTo", example = "2026-11-26T00:00:00Z",
                        description = "ISO-8601 date (midnight UTC) or instant, exclusive"),
                @Parameter(in = ParameterIn.QUERY, name = "eui64", example = "00-11-22",
                        description = "An EUI-64 (any spelling) or its first hex digits"),
                @Parameter(in = ParameterIn.QUERY, name = "identity", example = "0a1b2c3d",
                        description = "A PSK identity, hex"),
                @Parameter(in = ParameterIn.QUERY, name = "revoked", example = "false",
                        description = "true: revoked devices only (state REVOKED); false: every other device. A device"
                                + " whose old credential a rotation ended is not revoked",
                        schema = @Schema(type = "boolean")),
                @Parameter(in = ParameterIn.QUERY, name = "certExpiringBefore", example = "2027-01-01",
                        description = "Devices with an unrevoked certificate whose notAfter is before this date or"
                                + " instant"),
                @Parameter(in = ParameterIn.QUERY, name = "order", example = "oldest",
                        schema = @Schema(allowableValues = {"oldest", "newest"}, defaultValue = "oldest")),
                @Parameter(in = ParameterIn.QUERY, name = "limit", example = "100",
                        schema = @Schema(type = "integer", minimum = "1", maximum = "1000", defaultValue = "100")),
                @Parameter(in = ParameterIn.QUERY, name = "cursor", description = "From the previous page's"
                        + " Link rel=\"next\"; opaque")},
            responses = @ApiResponse(responseCode = "200", description = "A page; `Link: <...>; rel=\"next\"` when"
                    + " more follow", content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = DeviceList.class),
                    examples = @ExampleObject(name = "page", value = DeviceSearchDocs.LIST_EXAMPLE))))
    @GetMapping(path = DeviceController.BASE, produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<DeviceList> list(@Parameter(hidden = true) Caller caller,
            @Parameter(hidden = true) @RequestParam Map<String, String> parameters) {
        checkNames(parameters, PAGING);
        DeviceQuery query = DeviceQuery.of(parameters);
        DeviceSearch.Result result = search.page(caller, query, parameters.get("cursor"), limit(parameters.get("limit")),
                newestFirst(parameters.get("order")));
        Map<Long, String> stations = result.page().rows().stream().anyMatch(r -> r.stationId() != null)
                ? search.stationNames() : Map.of();
        List<DeviceListItem> items = result.page().rows().stream().map(r -> new DeviceListItem(r.eui64(), r.template(),
                r.state(), r.createdAt(), r.stationId() == null ? null : stations.get(r.stationId()),
                r.modes().stream().map(DeviceSearchController::mode).toList(),
                Map.of("self", DeviceController.BASE + "/" + r.eui64()))).toList();
        if (result.nextCursor() == null) {
            return ResponseEntity.ok(new DeviceList(items, null));
        }
        String next = ServletUriComponentsBuilder.fromCurrentRequest()
                .replaceQueryParam("cursor", result.nextCursor()).build().toUriString();
        return ResponseEntity.ok().header(HttpHeaders.LINK, "<" + next + ">; rel=\"next\"")
                .body(new DeviceList(items, next));
    }

    @Operation(summary = "Device counts by state, template and credential mode", description = DeviceSearchDocs.SUMMARY,
            responses = @ApiResponse(responseCode = "200", description = "The counts the dashboard shows",
                    content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                            schema = @Schema(implementation = DeviceQueries.Summary.class),
                            examples = @ExampleObject(name = "summary", value = DeviceSearchDocs.SUMMARY_EXAMPLE))))
    @GetMapping(path = DeviceController.BASE + "/summary", produces = MediaType.APPLICATION_JSON_VALUE)
    DeviceQueries.Summary summary() {
        return queries.summary();
    }

    @Operation(summary = "Export the devices matching a filter as CSV or JSON Lines", description = DeviceSearchDocs.EXPORT,
            parameters = @Parameter(in = ParameterIn.QUERY, name = "format", example = "csv",
                    schema = @Schema(allowableValues = {"csv", "jsonl"}, defaultValue = "csv")),
            responses = @ApiResponse(responseCode = "200", description = "Streamed, one line per device and credential",
                    content = {
                        @Content(mediaType = "text/csv", examples = @ExampleObject(name = "csv",
                                value = DeviceSearchDocs.CSV_EXAMPLE)),
                        @Content(mediaType = "application/jsonl", examples = @ExampleObject(name = "jsonl",
                                value = DeviceSearchDocs.JSONL_EXAMPLE))}))
    @GetMapping(path = DeviceController.BASE + "/export")
    void export(@Parameter(hidden = true) Caller caller,
            @Parameter(hidden = true) @RequestParam Map<String, String> parameters, HttpServletResponse response)
            throws IOException {
        checkNames(parameters, Set.of("format"));
        DeviceExportFormat format = DeviceExportFormat.named(parameters.getOrDefault("format", "csv"));
        if (format == null) {
            throw new InvalidFieldException("format", "format must be csv or jsonl (JSON Lines), not '"
                    + parameters.get("format").strip() + "'");
        }
        DeviceQuery query = DeviceQuery.of(parameters);
        search.check(caller, query);
        Map<Long, String> stations = search.stationNames();
        response.setContentType(format.contentType());
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"devices." + format.extension() + "\"");
        Writer out = new BufferedWriter(new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8));
        format.writeStart(out);
        search.export(caller, query, row -> format.write(out, row,
                row.stationId() == null ? null : stations.get(row.stationId())));
        out.flush();
    }

    /** Refuses a parameter that is neither a filter nor one of {@code others}: a misspelt filter must not pass. */
    private static void checkNames(Map<String, String> parameters, Set<String> others) {
        for (String name : parameters.keySet()) {
            if (!DeviceQuery.PARAMETERS.contains(name) && !others.contains(name)) {
                Set<String> known = new TreeSet<>(DeviceQuery.PARAMETERS);
                known.addAll(others);
                throw new InvalidFieldException(name, "There is no parameter '" + name.replaceAll("[^\\w.-]", "?")
                        + "'; use " + String.join(", ", known));
            }
        }
    }

    private static Integer limit(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(text.strip());
        } catch (NumberFormatException e) {
            throw new InvalidFieldException("limit", "limit must be a whole number from 1 to " + DeviceSearch.MAX_LIMIT
                    + " (devices per page)");
        }
    }

    private static boolean newestFirst(String order) {
        if (order == null || order.isBlank() || order.strip().equalsIgnoreCase("oldest")) {
            return false;
        }
        if (order.strip().equalsIgnoreCase("newest")) {
            return true;
        }
        throw new InvalidFieldException("order", "order must be oldest (the default: creation time ascending) or"
                + " newest");
    }

    private static String mode(String stored) {
        return stored.equals("RAW_PUBLIC_KEY") ? "rpk" : stored.toLowerCase(Locale.ROOT);
    }
}
