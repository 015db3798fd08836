package dev.fleetkey.service.api;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI description served at {@code /v3/api-docs} and browsed at {@code /swagger-ui.html}. Both are
 * public: they describe the API, hold no data, and factory integrators need them before they have
 * credentials; every call made from Swagger UI still needs an administrator's or a station's credentials.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    @Bean
    OpenAPI fleetkeyOpenApi() {
        return new OpenAPI()
                .info(new Info().title("Fleetkey provisioning API").version("v1")
                        .description("Provisions IoT devices with DTLS 1.2 credentials (RFC 7925) and signed bundles."
                                + " Users call with a personal API token, `Authorization: Bearer fku_...` (made on the UI's"
                                + " API tokens page or with POST /api/v1/users/me/tokens; it acts with the user's role and"
                                + " costs no password hash per call), or with HTTP Basic (slow on purpose: Argon2id per call;"
                                + " repeated wrong passwords are answered 429 with `Retry-After` for a while)."
                                + " Manufacturing stations use `Authorization: Bearer fks_...`"
                                + " and may only provision their allowed templates and touch their own devices."
                                + " POSTs accept `Idempotency-Key`: a retry with the same key and body gets the same answer"
                                + " (header `Idempotent-Replayed: true`), the same key with another body gets 422, and a"
                                + " retry while the first request still runs gets 409 `idempotency-key-in-progress` with"
                                + " `Retry-After` (repeat it then to get the stored answer)."
                                + " Every error is an RFC 9457 problem (`application/problem+json`) naming the field to fix."
                                + " Stations over their quota get 429 with `Retry-After`."))
                .components(new Components()
                        .addSecuritySchemes("admin", new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("basic"))
                        .addSecuritySchemes("user-token", new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                                .description("A user's personal API token, fku_ followed by 43 characters; acts with the"
                                        + " user's current role; never put it in a URL"))
                        .addSecuritySchemes("station", new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                                .description("A station token, fks_ followed by 43 characters")))
                .addSecurityItem(new SecurityRequirement().addList("user-token"))
                .addSecurityItem(new SecurityRequirement().addList("admin"))
                .addSecurityItem(new SecurityRequirement().addList("station"));
    }

    /**
     * What every API operation shares, written once: the {@code Idempotency-Key} header on POSTs, the
     * problem answers, and how the provisioning answer depends on the caller.
     */
    @Bean
    OpenApiCustomizer sharedApiBehaviour() {
        return api -> {
            api.getComponents()
                    .addSchemas("Problem", new io.swagger.v3.oas.models.media.ObjectSchema()
                            .description("RFC 9457 problem details")
                            .addProperty("type", new StringSchema().example("urn:fleetkey:problem:invalid-field"))
                            .addProperty("title", new StringSchema().example("Bad Request"))
                            .addProperty("status", new io.swagger.v3.oas.models.media.IntegerSchema().example(400))
                            .addProperty("detail", new StringSchema().example("quotaPerMinute must be a whole number"
                                    + " from 1 to 100000 (requests per minute this station may make)"))
                            .addProperty("field", new StringSchema().example("quotaPerMinute")));
            api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) ->
                    describe(path, method, operation)));
        };
    }

    private static void describe(String path, io.swagger.v3.oas.models.PathItem.HttpMethod method,
            io.swagger.v3.oas.models.Operation operation) {
        // stations and API tokens are made once per call on purpose: a replayed answer would need the secret kept
        if (method == io.swagger.v3.oas.models.PathItem.HttpMethod.POST && !path.startsWith("/api/v1/stations")
                && !path.startsWith("/api/v1/users/")) {
            operation.addParametersItem(new HeaderParameter().name(Idempotency.HEADER).required(false)
                    .description("Any 1-255 visible ASCII characters, e.g. a UUID. A retry with the same key and body"
                            + " within 24 h gets the stored answer (Idempotent-Replayed: true); another body gets 422."
                            + " While the first request with the key still runs, a retry gets 409"
                            + " idempotency-key-in-progress with Retry-After, never a different outcome; a failed request"
                            + " stores nothing and frees its key, and a key whose request died is free again after "
                            + Idempotency.CLAIM_TIMEOUT.toSeconds() + " s.")
                    .schema(new StringSchema().example("5f0c1c9e-3b7a-4d3e-9a53-0c7b1f7f2b10")));
        }
        Content problem = new Content().addMediaType("application/problem+json", new MediaType().schema(new Schema<>()
                .$ref("#/components/schemas/Problem")));
        operation.getResponses()
                .addApiResponse("400", new ApiResponse().description("A field is wrong; `field` names it").content(problem))
                .addApiResponse("401", new ApiResponse().description("No or bad credentials").content(problem))
                .addApiResponse("403", new ApiResponse().description("Not allowed for this caller").content(problem))
                .addApiResponse("429", new ApiResponse().description("Station over its quota, or password"
                        + " logins locked after too many failures; see Retry-After")
                        .content(problem));
        if (method == io.swagger.v3.oas.models.PathItem.HttpMethod.POST && path.equals("/api/v1/devices")) {
            operation.setDescription("Provisions one device from a template (a station: one of its allowed templates)."
                    + " Answers 201 with the device record and a link to its bundle, or the signed bundle itself when"
                    + " sent with `Accept: application/vnd.fleetkey.bundle+cms`. An existing EUI-64 follows the"
                    + " template's reprovision-policy: fail -> 409, return-existing -> 200 with the existing device."
                    + " A public key (`publicKey`, or a `csr`'s) is bound to one device for good: a key another device"
                    + " holds, or one that was revoked or rotated out, gets 409 `public-key-in-use` (naming the device"
                    + " holding it to administrators and to the station that provisioned it, to no other station).");
            operation.getResponses().addApiResponse("409", new ApiResponse().description("`device-exists`: the device"
                    + " exists and the template's policy is fail; `public-key-in-use`: the submitted key is or was"
                    + " bound to a device; `idempotency-key-in-progress` (with Retry-After): a request with this"
                    + " Idempotency-Key and body still runs, repeat it later").content(problem));
            operation.getResponses().addApiResponse("422", new ApiResponse().description("`idempotency-key-reused`:"
                    + " the Idempotency-Key was used for another request").content(problem));
        }
        if (method == io.swagger.v3.oas.models.PathItem.HttpMethod.POST && path.endsWith("/rotate")) {
            operation.getResponses().addApiResponse("409", new ApiResponse().description("`public-key-in-use`: a"
                    + " rotation needs a key no device holds or held, this one included; `device-revoked`")
                    .content(problem));
        }
    }
}
