package dev.fleetkey.service.templates;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a bad template into a two-line start-up failure instead of a wall of bean-creation stack traces. */
class InvalidTemplateFailureAnalyzer extends AbstractFailureAnalyzer<InvalidTemplateException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidTemplateException cause) {
        return new FailureAnalysis("Invalid template: " + cause.getMessage(),
                "Fix " + cause.field() + " in " + cause.file() + " and start again.", cause);
    }
}
