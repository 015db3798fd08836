package dev.fleetkey.service.templates;

import dev.fleetkey.service.templates.DeviceTemplate;
import dev.fleetkey.service.templates.InvalidTemplateException;
import dev.fleetkey.service.templates.TemplateCatalog;
import dev.fleetkey.service.templates.TemplateParser;
import dev.fleetkey.service.web.Formats;
import dev.fleetkey.service.web.PageController;
import dev.fleetkey.service.web.PageNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Principal;
import java.util.List;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Templates: the files under {@code templates/} (read-only) and versions saved from the YAML editor. The
 * editor validates with the same parser the service starts with and shows its message next to the text.
 */
@PageController
class TemplatePageController {

    static final String VIEW_LIST = "templates/list";
    static final String VIEW_ONE = "templates/view";
    static final String VIEW_EDITOR = "templates/editor";
    static final String EDITOR_SOURCE = "editor";
    private static final int MAX_YAML = 64 * 1024;

    private final TemplateCatalog catalog;
    private final TemplateVersions saved;

    TemplatePageController(TemplateCatalog catalog, TemplateVersions saved) {
        this.catalog = catalog;
        this.saved = saved;
    }

    @GetMapping("/templates")
    String list(Model model) {
        model.addAttribute("files", catalog.files());
        model.addAttribute("saved", saved.all());
        return VIEW_LIST;
    }

    @GetMapping("/templates/{id}/{version}")
    String view(@PathVariable("id") String id, @PathVariable("version") int version, Model model) {
        var fromFile = catalog.find(id + "@" + version).filter(t -> !catalog.isSaved(t.reference()));
        if (fromFile.isPresent()) {
            model.addAttribute("template", fromFile.get());
            model.addAttribute("source", saved.sourceFile(id, version).orElse("templates directory"));
            model.addAttribute("yaml", saved.sourceFile(id, version).map(TemplatePageController::read).orElse(null));
            model.addAttribute("readOnly", true);
            return VIEW_ONE;
        }
        TemplateVersions.Saved savedVersion = saved.find(id, version).orElseThrow(() -> new PageNotFoundException(
                "There is no template " + id.replaceAll("[^a-z0-9-]", "?") + "@" + version + ".",
                "Pick one from the Templates page."));
        model.addAttribute("template", TemplateParser.parse(EDITOR_SOURCE, savedVersion.yaml().getBytes(StandardCharsets.UTF_8)));
        model.addAttribute("source", "saved by " + savedVersion.savedBy() + " at " + new Formats().time(savedVersion.savedAt()) + " UTC");
        model.addAttribute("yaml", savedVersion.yaml());
        model.addAttribute("readOnly", false);
        return VIEW_ONE;
    }

    @GetMapping("/templates/editor")
    String editor(@RequestParam(name = "from", required = false) String from, Model model) {
        String yaml = "";
        if (from != null && from.contains("@")) {
            String id = from.substring(0, from.indexOf('@'));
            try {
                int version = Integer.parseInt(from.substring(from.indexOf('@') + 1));
                yaml = saved.sourceFile(id, version).map(TemplatePageController::read)
                        .or(() -> saved.find(id, version).map(TemplateVersions.Saved::yaml)).orElse("");
            } catch (NumberFormatException e) {
                yaml = "";
            }
        }
        model.addAttribute("yaml", yaml);
        return VIEW_EDITOR;
    }

    @PostMapping("/templates/editor")
    String validateOrSave(@RequestParam(name = "yaml", defaultValue = "") String yaml,
            @RequestParam(name = "action", defaultValue = "validate") String action, Principal user, Model model,
            RedirectAttributes redirect) {
        model.addAttribute("yaml", yaml);
        if (yaml.length() > MAX_YAML) {
            return invalid(model, yaml, "(document)", 0, "is longer than " + MAX_YAML + " characters; templates are short,"
                    + " check what was pasted");
        }
        // the JSON Schema editors check with, then the parser the service starts with (the schema cannot check all)
        List<TemplateSchemaCheck.Problem> schemaProblems = TemplateSchemaCheck.problems(yaml);
        model.addAttribute("schemaProblems", schemaProblems);
        DeviceTemplate template;
        try {
            if (!"save".equals(action) || !schemaProblems.isEmpty()) {
                template = catalog.checkNewVersion(EDITOR_SOURCE, yaml);
                if (!schemaProblems.isEmpty()) {
                    TemplateSchemaCheck.Problem first = schemaProblems.get(0);
                    return invalid(model, yaml, first.field(), first.line(), "does not match the template JSON Schema: "
                            + first.message());
                }
                model.addAttribute("valid", template.reference() + " is valid: " + template.servers().size() + " server(s).");
                return VIEW_EDITOR;
            }
            template = catalog.save(EDITOR_SOURCE, yaml, user.getName());
        } catch (InvalidTemplateException e) {
            return invalid(model, yaml, e.field(), e.line(), e.problem());
        }
        redirect.addFlashAttribute("notice", "Template " + template.reference() + " was saved; devices can be provisioned"
                + " from it now.");
        return "redirect:/templates/" + template.id() + "/" + template.version();
    }

    private static String invalid(Model model, String yaml, String field, int line, String problem) {
        if (line > 0) {
            model.addAttribute("errorLine", line);
            yaml.lines().skip(line - 1L).findFirst().map(String::stripTrailing).filter(l -> !l.isBlank())
                    .ifPresent(l -> model.addAttribute("errorLineText", l.length() > 200 ? l.substring(0, 200) + "..." : l));
        }
        model.addAttribute("errorField", field);
        model.addAttribute("errorMessage", problem);
        return VIEW_EDITOR;
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
