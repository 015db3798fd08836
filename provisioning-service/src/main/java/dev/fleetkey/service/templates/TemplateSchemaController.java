package dev.fleetkey.service.templates;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.nio.charset.StandardCharsets;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/v1/templates/schema}: the JSON Schema of template files, for editors and tools. */
@RestController
@Tag(name = "Templates", description = "Template files and their schema (administrators)")
class TemplateSchemaController {

    static final String PATH = "/api/v1/templates/schema";

    @Operation(summary = "The JSON Schema of templates", description = "JSON Schema draft-07 of a template file, the"
            + " same as `templates/fleetkey-template.schema.json` in the repository. Point an editor at it, e.g. with"
            + " the first line `# yaml-language-server: $schema=./fleetkey-template.schema.json`, to complete and"
            + " check templates while writing them. The service's parser checks a little more (unique server"
            + " names, identity patterns); its errors name the field and line.",
            responses = @ApiResponse(responseCode = "200", description = "The schema", content = @Content(
                    mediaType = TemplateSchema.MEDIA_TYPE, examples = @ExampleObject(name = "start of the schema",
                    value = "{\"$schema\":\"http://json-schema.org/draft-07/schema#\",\"title\":\"Fleetkey device"
                            + " template\",\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"id\","
                            + "\"version\",\"servers\"],\"properties\":{\"id\":{\"type\":\"string\",\"pattern\":"
                            + "\"^[a-z0-9][a-z0-9-]{0,63}$\",\"examples\":[\"demo-sensor\"]}}}"))))
    // tools that ask for plain JSON get the same document under that name
    @GetMapping(path = PATH, produces = {TemplateSchema.MEDIA_TYPE, MediaType.APPLICATION_JSON_VALUE})
    byte[] schema() {
        return TemplateSchema.text().getBytes(StandardCharsets.UTF_8);
    }
}
