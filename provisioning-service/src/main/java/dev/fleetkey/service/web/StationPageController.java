package dev.fleetkey.service.web;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * ADMIN only. Stations (factory-line API clients with their own tokens, quotas and transport keys) come
 * from the stations service; until it is part of the build this page explains where they will appear.
 * Hook: when the stations service is merged, list its stations here and add create (token shown once),
 * quota, transport key and disable forms that call it.
 */
@Controller
class StationPageController {

    static final String VIEW = "stations/list";

    @GetMapping("/stations")
    String list() {
        return VIEW;
    }
}
