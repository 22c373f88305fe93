package io.bobbin.internal.observe;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/**
 * A suspension that cannot be done was refused ({@code Continuation.suspend()} threw): a frame that
 * is not instrumented, or a monitor held, between the continuation and the call. Recorded on the
 * thread at fault, with its stack. Enabled by default: it is only ever on the failing path.
 */
@Name("io.bobbin.SuspensionRefused")
@Label("Suspension Refused")
@Category("Bobbin")
@Description("A continuation could not suspend (a frame that is not instrumented, or a monitor held) and the suspension threw")
final class SuspensionRefusedEvent extends jdk.jfr.Event {
    @Label("Message")
    String message;
}
