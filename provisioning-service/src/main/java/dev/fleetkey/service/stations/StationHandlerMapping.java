package dev.fleetkey.service.stations;

import dev.fleetkey.service.api.Idempotency;
import dev.fleetkey.service.callers.Caller;
import dev.fleetkey.service.callers.CallerResolver;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.condition.RequestCondition;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Routes station requests on shared paths ({@code POST /api/v1/devices}, {@code GET /api/v1/devices/{eui64}}
 * and its bundle) to {@link StationEndpoint} controllers, which add the station rules (allowed templates,
 * own devices only, sealing, idempotency), while administrators keep the devices package's controller,
 * except for a POST carrying {@code Idempotency-Key}, which only the station controller can honour.
 * It runs before Spring's own mapping and matches nothing else.
 */
@Component
class StationHandlerMapping extends RequestMappingHandlerMapping {

    StationHandlerMapping() {
        setOrder(-1);
    }

    @Override
    protected boolean isHandler(Class<?> beanType) {
        return AnnotatedElementUtils.hasAnnotation(beanType, StationEndpoint.class);
    }

    @Override
    protected RequestCondition<?> getCustomMethodCondition(java.lang.reflect.Method method) {
        return new StationCaller();
    }

    /** Matches a request made by an authenticated station, or an idempotent POST. */
    private static final class StationCaller implements RequestCondition<StationCaller> {

        @Override
        public StationCaller combine(StationCaller other) {
            return this;
        }

        @Override
        public StationCaller getMatchingCondition(HttpServletRequest request) {
            boolean idempotentPost = "POST".equals(request.getMethod()) && request.getHeader(Idempotency.HEADER) != null;
            boolean station = CallerResolver.of(SecurityContextHolder.getContext().getAuthentication())
                    .filter(Caller.Station.class::isInstance).isPresent();
            return station || idempotentPost ? this : null;
        }

        @Override
        public int compareTo(StationCaller other, HttpServletRequest request) {
            return 0;
        }

        @Override
        public String toString() {
            return List.of("station").toString();
        }
    }
}
