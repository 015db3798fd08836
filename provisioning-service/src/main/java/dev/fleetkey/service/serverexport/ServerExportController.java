package dev.fleetkey.service.serverexport;

import dev.fleetkey.service.pki.DeviceKeyRejectedException;
import dev.fleetkey.service.pki.DevicePublicKeys;
import dev.fleetkey.service.system.InvalidFieldException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.security.PublicKey;
import java.util.Base64;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Admin API: {@code POST /api/v1/templates/{id}/servers/{name}/export} with
 * {@code {"recipientPublicKey": "<PEM or base64 DER SubjectPublicKeyInfo, EC P-256>", "format": "fleetkey"}} answers
 * the sealed export as {@code application/cms} (DER), audited; {@code format} is fleetkey (default), leshan or
 * libcoap-psk. See ENDPOINT.md.
 */
@RestController
class ServerExportController {

    private final ServerExports exports;
    private final DevicePublicKeys publicKeys;

    ServerExportController(ServerExports exports, DevicePublicKeys publicKeys) {
        this.exports = exports;
        this.publicKeys = publicKeys;
    }

    /** The request body. */
    record ExportRequest(
            @Schema(description = "EC P-256 public key the export is sealed for: PEM or base64 DER SubjectPublicKeyInfo")
            String recipientPublicKey,
            @Schema(description = "fleetkey (everything, JSON), leshan (Leshan's security infos) or libcoap-psk"
                    + " (coap-server's -i file, PSK servers only)", defaultValue = "fleetkey",
                    allowableValues = {"fleetkey", "leshan", "libcoap-psk"})
            String format) {
    }

    @Operation(summary = "Export a template server's device credentials, sealed for one recipient",
            description = "The credentials a server needs to accept the template's devices, as a CMS envelope only"
                    + " the recipient's private key opens (`openssl cms -decrypt -inform DER -inkey export.key`);"
                    + " audited as server-export.issued. The format is what the server imports: fleetkey, Leshan's"
                    + " security store or libcoap's coap-server PSK file (ENDPOINT.md shows each and how it was"
                    + " checked). The answer's Fleetkey-Export-Devices header counts the devices.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
                    mediaType = MediaType.APPLICATION_JSON_VALUE, examples = {
                        @ExampleObject(name = "leshan", summary = "Leshan's security infos", value = """
                                {"recipientPublicKey": "-----BEGIN PUBLIC KEY-----\\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE...\\n-----END PUBLIC KEY-----", "format": "leshan"}"""),
                        @ExampleObject(name = "libcoap-psk", summary = "libcoap coap-server -i file", value = """
                                {"recipientPublicKey": "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE...", "format": "libcoap-psk"}""")
                    })),
            responses = {
                @ApiResponse(responseCode = "200", description = "The sealed export (DER CMS EnvelopedData)",
                        content = @Content(mediaType = "application/cms")),
                @ApiResponse(responseCode = "400", description = "A bad recipient key or format, or libcoap-psk"
                        + " for a server that is not PSK", content = @Content(mediaType = "application/problem+json"))
            })
    @PostMapping(path = "/api/v1/templates/{id}/servers/{name}/export", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<byte[]> export(@PathVariable("id") String templateId, @PathVariable("name") String serverName,
                                  @RequestBody ExportRequest request) {
        PublicKey recipient = recipient(request == null ? null : request.recipientPublicKey());
        ServerExports.Format format = format(request == null ? null : request.format());
        ServerExports.SealedExport export = exports.export(templateId, serverName, recipient, format);
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType("application/cms"))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + templateId + "-" + serverName
                        + "-server-export.cms\"")
                .header("Fleetkey-Export-Devices", Integer.toString(export.deviceCount()))
                .header("Fleetkey-Recipient-Key-Id", export.recipientKeyIdHex())
                .body(export.envelope());
    }

    private static ServerExports.Format format(String name) {
        if (name == null || name.isBlank()) {
            return ServerExports.Format.FLEETKEY;
        }
        ServerExports.Format format = ServerExports.Format.named(name.strip());
        if (format == null) {
            throw new InvalidFieldException("format", "format must be fleetkey (the default: everything, as JSON),"
                    + " leshan (Leshan's security infos, JSON) or libcoap-psk (coap-server's -i file), not '"
                    + name.strip().replaceAll("[^\\w.-]", "?") + "'");
        }
        return format;
    }

    /** The recipient key after every check {@link DevicePublicKeys} makes (P-256, a point on the curve). */
    private PublicKey recipient(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidFieldException("recipientPublicKey", "recipientPublicKey is missing: send the EC P-256 "
                    + "public key the export is sealed for, as PEM (-----BEGIN PUBLIC KEY-----) or base64 DER");
        }
        String base64 = text.replace("-----BEGIN PUBLIC KEY-----", "").replace("-----END PUBLIC KEY-----", "")
                .replaceAll("\\s", "");
        try {
            return publicKeys.fromSubjectPublicKeyInfo(Base64.getDecoder().decode(base64));
        } catch (IllegalArgumentException | DeviceKeyRejectedException e) {
            throw new InvalidFieldException("recipientPublicKey", "recipientPublicKey is not an EC P-256 public key "
                    + "(SubjectPublicKeyInfo, PEM or base64 DER)" + (e instanceof DeviceKeyRejectedException
                    ? ": " + e.getMessage() : ".") + " Make one with: openssl ecparam -name prime256v1 "
                    + "-genkey -noout -out export.key && openssl ec -in export.key -pubout");
        }
    }
}
