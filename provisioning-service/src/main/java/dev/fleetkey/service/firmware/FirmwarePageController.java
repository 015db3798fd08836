package dev.fleetkey.service.firmware;

import dev.fleetkey.service.audit.AuditTrail;
import dev.fleetkey.service.firmware.FirmwarePackages;
import dev.fleetkey.service.audit.AuditTrail;
import dev.fleetkey.service.system.FleetkeyException;
import dev.fleetkey.service.templates.DeviceTemplate;
import dev.fleetkey.service.templates.TemplateCatalog;
import dev.fleetkey.service.web.PageController;
import dev.fleetkey.service.web.PageNotFoundException;
import java.io.IOException;
import java.util.Comparator;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Signed firmware update packages: the list, one package with its manifest's components, the download
 * (every role; a package holds no secret, so a GET, audited) and the release form (ADMIN, the same
 * {@link FirmwarePackages#release} the API and the release CLI use; the release itself is audited there).
 */
@PageController
class FirmwarePageController {

    static final String VIEW_LIST = "firmware/list";
    static final String VIEW_PACKAGE = "firmware/package";
    private static final MediaType PACKAGE_TYPE = MediaType.APPLICATION_OCTET_STREAM;

    private final FirmwarePackages packages;
    private final TemplateCatalog templates;
    private final AuditTrail audit;

    FirmwarePageController(FirmwarePackages packages, TemplateCatalog templates, AuditTrail audit) {
        this.packages = packages;
        this.templates = templates;
        this.audit = audit;
    }

    /** What the release form sends back when it has to be shown again (the image must be chosen again). */
    record ReleaseForm(String template, String hardwareClass, String firmwareVersion) {
        static ReleaseForm empty() {
            return new ReleaseForm("", "", "");
        }
    }

    @GetMapping("/firmware")
    String list(Model model) {
        return showList(model, ReleaseForm.empty(), null, null);
    }

    @PostMapping("/firmware")
    String release(@RequestParam(name = "template", defaultValue = "") String template,
            @RequestParam(name = "hardwareClass", defaultValue = "") String hardwareClass,
            @RequestParam(name = "firmwareVersion", defaultValue = "") String firmwareVersion,
            @RequestParam(name = "image", required = false) MultipartFile image, Model model,
            RedirectAttributes redirect) {
        ReleaseForm form = new ReleaseForm(template, hardwareClass.strip(), firmwareVersion.strip());
        if (image == null || image.isEmpty()) {
            return showList(model, form, "Choose the firmware image file to package (it was missing or empty).", "image");
        }
        try {
            FirmwarePackages.Released released = packages.release(template, form.hardwareClass(),
                    form.firmwareVersion(), image.getBytes());
            FirmwarePackages.PackageView p = released.pkg();
            redirect.addFlashAttribute("notice", released.created()
                    ? "Packaged firmware " + p.firmwareVersion() + " for " + p.productLine() + " " + p.hardwareClass()
                            + " with sequence " + p.sequence() + "."
                    : "Firmware " + p.firmwareVersion() + " for " + p.productLine() + " " + p.hardwareClass()
                            + " was already packaged from the same inputs; this is that package.");
            return "redirect:/firmware/" + p.id();
        } catch (FleetkeyException e) {
            return showList(model, form, e.getMessage(), e.field());
        } catch (IOException e) {
            return showList(model, form, "The uploaded image could not be read; choose the file and send it again.", "image");
        }
    }

    @GetMapping("/firmware/{id}")
    String show(@PathVariable("id") long id, Model model) {
        model.addAttribute("pkg", find(id));
        return VIEW_PACKAGE;
    }

    @GetMapping("/firmware/{id}/download")
    ResponseEntity<byte[]> download(@PathVariable("id") long id) {
        FirmwarePackages.PackageView p = find(id);
        byte[] bytes = packages.download(id);
        audit.record("firmware.downloaded", "package:" + p.fileName() + " seq:" + p.sequence());
        return ResponseEntity.ok().contentType(PACKAGE_TYPE)
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                        .filename(p.productLine() + "-" + p.firmwareVersion() + "-" + p.hardwareClass() + ".fkpkg")
                        .build().toString())
                .body(bytes);
    }

    private FirmwarePackages.PackageView find(long id) {
        return packages.get(id).orElseThrow(() -> new PageNotFoundException("There is no firmware package " + id + ".",
                "Open packages from the Firmware page."));
    }

    private String showList(Model model, ReleaseForm form, String formError, String formErrorField) {
        model.addAttribute("packages", packages.list());
        model.addAttribute("templateRefs", templates.all().stream()
                .sorted(Comparator.comparing(DeviceTemplate::id).thenComparing(DeviceTemplate::version))
                .map(t -> t.id() + "@" + t.version()).toList());
        model.addAttribute("form", form);
        model.addAttribute("formError", formError);
        model.addAttribute("formErrorField", formErrorField);
        return VIEW_LIST;
    }
}
