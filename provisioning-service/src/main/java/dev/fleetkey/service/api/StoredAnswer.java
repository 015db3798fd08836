package dev.fleetkey.service.api;

import java.net.URI;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * An HTTP answer as it is stored for idempotent replay: status, the headers that matter and the exact
 * body bytes, so a retry sees byte for byte what the first request got.
 *
 * @param location the {@code Location} header, or null
 * @param replayed whether this answer comes from the store rather than from doing the work now
 */
public record StoredAnswer(int status, String contentType, String location, byte[] body, boolean replayed) {

    /** Sent on replayed answers so a client can tell a retry hit the store. */
    public static final String REPLAYED_HEADER = "Idempotent-Replayed";

    public StoredAnswer {
        body = body.clone();
    }

    public static StoredAnswer of(int status, MediaType contentType, String location, byte[] body) {
        return new StoredAnswer(status, contentType.toString(), location, body, false);
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    StoredAnswer asReplay() {
        return new StoredAnswer(status, contentType, location, body, true);
    }

    public ResponseEntity<byte[]> toResponse() {
        HttpHeaders headers = new HttpHeaders();
        if (contentType != null) {
            headers.setContentType(MediaType.parseMediaType(contentType));
        }
        if (location != null) {
            headers.setLocation(URI.create(location));
        }
        if (replayed) {
            headers.set(REPLAYED_HEADER, "true");
        }
        headers.setCacheControl("no-store");
        return ResponseEntity.status(status).headers(headers).body(body);
    }

    // the body may be a bundle carrying secrets: never print it
    @Override
    public String toString() {
        return "StoredAnswer[" + status + " " + contentType + " " + body.length + " bytes" + (replayed ? " replayed" : "") + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StoredAnswer a && status == a.status && java.util.Arrays.equals(body, a.body)
                && java.util.Objects.equals(contentType, a.contentType) && java.util.Objects.equals(location, a.location)
                && replayed == a.replayed;
    }

    @Override
    public int hashCode() {
        return status * 31 + java.util.Arrays.hashCode(body);
    }
}
