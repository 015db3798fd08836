package dev.fleetkey.service.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.stereotype.Controller;

/**
 * A controller of the admin UI, in whichever feature's package it lives: {@link WebPageAdvice} puts the viewer
 * into its models and turns its failures into the friendly error pages. API controllers never carry it, so
 * their errors stay problem details.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Controller
public @interface PageController {
}
