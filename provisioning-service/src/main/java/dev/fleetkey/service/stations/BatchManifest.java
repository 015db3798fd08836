package dev.fleetkey.service.stations;

import dev.fleetkey.bundle.BundleSigner;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The signed record of a finished batch: a JSON document listing every requested device in request order
 * with its result and the SHA-256 of the bundle issued for it, signed as CMS SignedData by the service's
 * bundle signer (the same {@link BundleSigner}, so {@code openssl cms -verify} with the certificate at
 * {@code /api/v1/trust/bundle-signer.pem} checks it). The JSON is deterministic: keys sorted, no spaces,
 * so the same batch always gives the same bytes.
 */
@Component
class BatchManifest {

    static final String FORMAT = "fleetkey-batch-manifest-1";

    private final BundleSigner signer;
    private final JsonMapper json = JsonMapper.builder().build();

    BatchManifest(BundleSigner signer) {
        this.signer = signer;
    }

    /** The canonical JSON of the manifest. */
    byte[] encode(BatchRepository.Batch batch, List<BatchRepository.Item> items, Instant finishedAt) {
        List<Map<String, Object>> devices = new ArrayList<>();
        for (BatchRepository.Item item : items) {
            Map<String, Object> entry = new TreeMap<>();
            entry.put("index", item.index());
            entry.put("eui64", item.eui64());
            entry.put("result", item.result().toLowerCase(java.util.Locale.ROOT));
            if (item.bundleSha256() != null) {
                entry.put("bundleSha256", HexFormat.of().formatHex(item.bundleSha256()));
            }
            if (item.reason() != null) {
                entry.put("reason", item.reason());
            }
            devices.add(entry);
        }
        Map<String, Object> manifest = new TreeMap<>();
        manifest.put("format", FORMAT);
        manifest.put("batch", batch.id());
        manifest.put("requestedBy", batch.principal());
        manifest.put("template", batch.template());
        manifest.put("total", items.size());
        manifest.put("createdAt", batch.createdAt().toString());
        manifest.put("finishedAt", finishedAt.toString());
        manifest.put("devices", devices);
        return json.writeValueAsString(manifest).getBytes(StandardCharsets.UTF_8);
    }

    /** DER CMS SignedData with the manifest JSON encapsulated. */
    byte[] sign(byte[] manifestJson) {
        return signer.signEncoded(manifestJson);
    }
}
