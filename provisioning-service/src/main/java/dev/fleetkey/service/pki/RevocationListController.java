package dev.fleetkey.service.pki;

import dev.fleetkey.service.system.NotFoundException;
import java.time.Duration;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/pki/cas/{ca}/crl}: the CA's current revocation list (DER, {@code application/pkix-crl}),
 * public like the CA certificates. Cached for a minute at most so a revocation reaches relying parties quickly;
 * {@code Last-Modified} is the CRL's thisUpdate and the ETag names its CRL number, so a conditional request gets 304
 * until the next CRL.
 */
@RestController
class RevocationListController {

    static final MediaType PKIX_CRL = MediaType.parseMediaType("application/pkix-crl");
    private static final Duration MAX_AGE = Duration.ofMinutes(1);

    private final RevocationLists lists;

    RevocationListController(RevocationLists lists) {
        this.lists = lists;
    }

    @GetMapping(PkiController.BASE + "/cas/{ca}/crl")
    ResponseEntity<byte[]> crl(@PathVariable("ca") String ca) {
        RevocationLists.Crl crl;
        try {
            crl = lists.current(ca);
        } catch (IllegalArgumentException e) {
            throw new NotFoundException(e.getMessage());
        }
        return ResponseEntity.ok().contentType(PKIX_CRL).cacheControl(CacheControl.maxAge(MAX_AGE).cachePublic())
                .lastModified(crl.thisUpdate()).eTag("\"" + ca + "-" + crl.number() + "\"").header("Content-Disposition", "inline; filename=\"" + ca + "-ca.crl\"")
                .body(crl.der());
    }
}
