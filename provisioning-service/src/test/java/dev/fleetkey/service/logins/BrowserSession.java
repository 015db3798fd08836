package dev.fleetkey.service.logins;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The web UI over real HTTP as a browser uses it: a cookie jar for the session, the CSRF token read from each
 * page's forms, redirects not followed (tests look at where they point).
 */
final class BrowserSession {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    private final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
    private final String base;
    private String csrf;

    BrowserSession(int port) {
        this.base = "http://localhost:" + port;
    }

    /** GET {@code path}; keeps the page's CSRF token for the next form. */
    HttpResponse<String> get(String path) {
        HttpResponse<String> page = send(HttpRequest.newBuilder(URI.create(base + path)).GET().build());
        Matcher m = CSRF.matcher(page.body());
        if (m.find()) {
            csrf = m.group(1);
        }
        return page;
    }

    /** Posts the login form (fetching it first for its CSRF token); answers the redirect's Location. */
    String logIn(String username, String password) {
        get("/login");
        return post("/login", "username", username, "password", password).headers().firstValue("Location").orElse("");
    }

    /** Posts a form with the CSRF token of the last page fetched; {@code fields} are name, value pairs. */
    HttpResponse<String> post(String path, String... fields) {
        StringBuilder form = new StringBuilder("_csrf=").append(encode(csrf));
        for (int i = 0; i < fields.length; i += 2) {
            form.append('&').append(encode(fields[i])).append('=').append(encode(fields[i + 1]));
        }
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form.toString())).build());
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8);
    }
}
