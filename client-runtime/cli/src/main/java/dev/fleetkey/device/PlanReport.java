package dev.fleetkey.device;

import java.io.PrintWriter;

import dev.fleetkey.runtime.state.InstalledState;
import dev.fleetkey.runtime.state.UpdatePlan;

/**
 * What {@code update} prints about a checked plan before applying it, the same for a package ({@code --package})
 * and for a server's config ({@code --from-server}): the changes to servers, anchors and pins, the device bundle
 * that comes with it, and whether a dry run stops here.
 */
final class PlanReport {

    private PlanReport() {
    }

    /**
     * Prints the plan's changes, and with {@code dryRun} that nothing is applied.
     *
     * @return whether to go on and apply the plan (false for a dry run)
     */
    static boolean printChanges(UpdatePlan plan, boolean dryRun, PrintWriter out) {
        plan.changes().lines().forEach(out::println);
        plan.deviceBundle().ifPresent(d -> out.println("+ device bundle sequence " + d.sequence()
                + " (current " + plan.from().deviceBundle().sequence() + ")"));
        if (plan.changes().isEmpty() && plan.deviceBundle().isEmpty()) {
            out.println("no change to servers, anchors or pins");
        }
        if (dryRun) {
            out.println("dry run: nothing applied");
        }
        return !dryRun;
    }

    /** The state's fleet sequence for people: "none" before the first update. */
    static String fleetSequence(InstalledState state) {
        return state.fleetSequence() < 0 ? "none" : String.valueOf(state.fleetSequence());
    }
}
