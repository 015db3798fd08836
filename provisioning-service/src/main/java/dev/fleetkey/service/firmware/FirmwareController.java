package dev.fleetkey.service.firmware;

import dev.fleetkey.service.system.InvalidFieldException;
import dev.fleetkey.service.system.NotFoundException;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/** The firmware API: package a release (release token or admin), list packages with manifests, download one. */
@RestController
class FirmwareController {

    static final String PACKAGES = "/api/v1/firmware/packages";

    private final FirmwarePackages packages;

    FirmwareController(FirmwarePackages packages) {
        this.packages = packages;
    }

    /** 201 with the new package; 200 with the recorded one when the same release was packaged before. */
    @PostMapping(path = PACKAGES, consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    ResponseEntity<FirmwarePackages.PackageView> release(@RequestParam(name = "template", required = false) String template,
            @RequestParam(name = "hardwareClass", required = false) String hardwareClass,
            @RequestParam(name = "firmwareVersion", required = false) String firmwareVersion,
            @RequestParam(name = "image", required = false) MultipartFile image) {
        if (image == null) {
            throw new InvalidFieldException("image", "attach the firmware image as the multipart part 'image'");
        }
        byte[] bytes;
        try {
            bytes = image.getBytes();
        } catch (IOException e) {
            throw new InvalidFieldException("image", "the image upload could not be read");
        }
        FirmwarePackages.Released released = packages.release(template, hardwareClass, firmwareVersion, bytes);
        URI location = URI.create(PACKAGES + "/" + released.pkg().id());
        return ResponseEntity.status(released.created() ? HttpStatus.CREATED : HttpStatus.OK).location(location)
                .body(released.pkg());
    }

    @GetMapping(path = PACKAGES, produces = MediaType.APPLICATION_JSON_VALUE)
    List<FirmwarePackages.PackageView> list() {
        return packages.list();
    }

    @GetMapping(path = PACKAGES + "/{id}/manifest", produces = MediaType.APPLICATION_JSON_VALUE)
    FirmwarePackages.PackageView manifest(@PathVariable("id") long id) {
        return packages.get(id).orElseThrow(() -> new NotFoundException("No firmware package " + id));
    }

    @GetMapping(PACKAGES + "/{id}")
    ResponseEntity<byte[]> download(@PathVariable("id") long id) {
        FirmwarePackages.PackageView view = packages.get(id)
                .orElseThrow(() -> new NotFoundException("No firmware package " + id));
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_OCTET_STREAM)
                .header("Content-Disposition", ContentDisposition.attachment()
                        .filename(view.productLine() + "-" + view.firmwareVersion() + "-" + view.hardwareClass() + ".fkpkg")
                        .build().toString())
                .body(packages.download(id));
    }
}
