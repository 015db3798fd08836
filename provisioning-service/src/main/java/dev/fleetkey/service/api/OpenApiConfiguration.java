package dev.fleetkey.service.api;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
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
                                + " Administrators use HTTP Basic; manufacturing stations use `Authorization: Bearer fks_...`"
                                + " and may only provision their allowed templates and touch their own devices."
                                + " POSTs accept `Idempotency-Key`: a retry with the same key and body gets the same answer"
                                + " (header `Idempotent-Replayed: true`), the same key with another body gets 422."
                                + " Every error is an RFC 9457 problem (`application/problem+json`) naming the field to fix."
                                + " Stations over their quota get 429 with `Retry-After`."))
                .components(new Components()
                        .addSecuritySchemes("admin", new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("basic"))
                        .addSecuritySchemes("station", new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                                .description("A station token, fks_ followed by 43 characters")))
                .addSecurityItem(new SecurityRequirement().addList("admin"))
                .addSecurityItem(new SecurityRequirement().addList("station"));
    }
}
