package dev.fleetkey.service.system;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import org.apache.catalina.Container;
import org.apache.catalina.Pipeline;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.util.HtmlUtils;

/**
 * Answers for requests Tomcat refuses before any servlet runs (an encoded slash or NUL in the path, a control
 * character in a header, headers over the size limit): problem details under {@code /api}, a plain page in the
 * admin UI's style elsewhere, instead of Tomcat's own HTML report. Runs last among the factory customizers so it
 * replaces the error report valve Spring Boot adds.
 */
@Component
class ContainerErrorReports implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.addContextCustomizers(context -> {
            Container host = context.getParent();
            Pipeline pipeline = host.getPipeline();
            for (Valve valve : pipeline.getValves()) {
                if (valve instanceof ErrorReportValve) {
                    pipeline.removeValve(valve);
                }
            }
            pipeline.addValve(new ReportValve());
            if (host instanceof StandardHost standard) {
                standard.setErrorReportValveClass(ReportValve.class.getName());
            }
        });
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    /** The host's error report valve: writes only when nothing else answered an error. */
    public static class ReportValve extends ErrorReportValve {

        private static final Logger log = LoggerFactory.getLogger(ContainerErrorReports.class);

        @Override
        protected void report(Request request, Response response, Throwable throwable) {
            int status = response.getStatus();
            if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
                return;
            }
            String path = request.getRequestURI() == null ? "" : request.getRequestURI();
            boolean headersTooLarge = mentionsHeaderSize(throwable) || mentionsHeaderSize(response.getMessage());
            log.info("{} -> {} before the application: {}", shown(path), status,
                    throwable != null ? throwable.getMessage() : response.getMessage());
            try {
                ProblemDetail problem = headersTooLarge ? StatusProblems.headersTooLarge(HttpStatusCode.valueOf(status))
                        : status == 400 ? RejectedRequests.addressProblem()
                        : StatusProblems.forStatus(HttpStatusCode.valueOf(status), request.getMethod(), null, List.of(),
                                List.of());
                if (Problems.isApi(path)) {
                    response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
                    response.setCharacterEncoding("UTF-8");
                    write(response, Problems.json(problem));
                } else {
                    response.setContentType(MediaType.TEXT_HTML_VALUE);
                    response.setCharacterEncoding("UTF-8");
                    write(response, page(status, problem.getDetail()));
                }
            } catch (IOException | IllegalStateException e) {
                log.debug("Could not write the error report", e);
            }
        }

        private static void write(Response response, String text) throws IOException {
            PrintWriter writer = response.getReporter();
            if (writer != null) {
                writer.write(text);
                response.finishResponse();
            }
        }

        private static boolean mentionsHeaderSize(Throwable throwable) {
            return throwable != null && mentionsHeaderSize(throwable.getMessage());
        }

        private static boolean mentionsHeaderSize(String message) {
            return message != null && message.toLowerCase(java.util.Locale.ROOT).contains("header")
                    && message.toLowerCase(java.util.Locale.ROOT).contains("too large");
        }

        /** The admin UI's error page, without the template engine (no Spring context has seen the request). */
        private static String page(int status, String message) {
            return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Cannot read this request"
                    + " · Fleetkey</title><link rel=\"stylesheet\" href=\"/css/fleetkey.css\"></head><body>"
                    + "<main class=\"narrow error-page\"><p class=\"status\">" + status + "</p>"
                    + "<h1>Cannot read this request</h1><p id=\"error-message\">" + HtmlUtils.htmlEscape(message)
                    + "</p><p class=\"hint\">Go back and use the page's links and forms, or start again from the"
                    + " dashboard.</p><p><a href=\"/\">Back to the dashboard</a></p></main></body></html>\n";
        }

        private static String shown(String path) {
            String cut = path.length() > 200 ? path.substring(0, 200) + "..." : path;
            return cut.replaceAll("\\p{Cntrl}", "?");
        }
    }
}
