package dev.fleetkey.service.pki;

import java.net.URI;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code fleetkey.public-base-url}: where relying parties reach this service from outside, e.g.
 * {@code https://fleetkey.example.com}; certificates that carry a CRL distribution point name a URL under it. Unset:
 * no certificate can carry one (a template asking for it is refused at issuance). Checked once at start-up.
 *
 * @param publicBaseUrl an absolute http(s) URL without query, fragment or user info; a trailing slash is dropped
 */
@ConfigurationProperties("fleetkey")
public record PublicBaseUrlProperties(URI publicBaseUrl) {

    public PublicBaseUrlProperties {
        if (publicBaseUrl != null) {
            String scheme = publicBaseUrl.getScheme();
            if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme) || publicBaseUrl.getHost() == null
                    || publicBaseUrl.getRawQuery() != null || publicBaseUrl.getRawFragment() != null
                    || publicBaseUrl.getRawUserInfo() != null) {
                throw new IllegalArgumentException("fleetkey.public-base-url is '" + publicBaseUrl + "': set the"
                        + " absolute http(s) URL this service is reached at, without query, fragment or user, e.g."
                        + " https://fleetkey.example.com");
            }
            String text = publicBaseUrl.toString();
            publicBaseUrl = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
        }
    }

    /** The URL of {@code ca}'s revocation list ({@code GET /api/v1/pki/cas/{ca}/crl}), when a base URL is set. */
    public Optional<URI> crlUrl(String ca) {
        return Optional.ofNullable(publicBaseUrl).map(base -> URI.create(base + PkiController.BASE + "/cas/" + ca + "/crl"));
    }
}
