package dev.fleetkey.service.bundles;

import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.service.bundles.BundleIssuer;
import dev.fleetkey.service.system.FleetkeyException;
import dev.fleetkey.service.web.PageController;
import dev.fleetkey.service.web.PageNotFoundException;
import dev.fleetkey.service.web.PageOf;
import org.springframework.http.CacheControl;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The bundles issued so far, and a download button per device. The signed bytes are not stored, so a
 * download issues a new bundle with the next sequence number (a POST: it changes state and is audited by
 * the bundle issuer).
 */
@PageController
class BundlePageController {

    static final String VIEW = "bundles/list";
    private static final MediaType BUNDLE_TYPE = MediaType.parseMediaType("application/vnd.fleetkey.bundle+cms");

    private final IssuedBundles browser;
    private final BundleIssuer issuer;

    BundlePageController(IssuedBundles browser, BundleIssuer issuer) {
        this.browser = browser;
        this.issuer = issuer;
    }

    @GetMapping("/bundles")
    String list(@RequestParam(name = "page", defaultValue = "0") int page, Model model) {
        model.addAttribute("results", browser.bundles(Math.max(0, page), PageOf.DEFAULT_SIZE));
        return VIEW;
    }

    @PostMapping("/bundles/{eui64}/download")
    ResponseEntity<?> download(@PathVariable("eui64") String eui64Text) {
        Eui64 eui64 = PageNotFoundException.eui64(eui64Text,
                "Open the device from the Devices page and download its bundle there.");
        try {
            BundleIssuer.IssuedBundle bundle = issuer.issueDeviceBundle(eui64);
            return ResponseEntity.ok()
                    .contentType(BUNDLE_TYPE)
                    .cacheControl(CacheControl.noStore())
                    .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                            .filename(eui64.compact() + "-" + bundle.sequence() + ".bundle").build().toString())
                    .body(bundle.signed());
        } catch (FleetkeyException e) {
            throw new PageNotFoundException(e.getMessage(), "Check the device's state on its page.");
        }
    }
}
