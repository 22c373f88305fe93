package sample;

import io.bobbin.Continuation;
import io.bobbin.Suspendable;
import java.util.List;

/** Main code with a suspendable method. */
public final class Steps {
    private Steps() {}

    @Suspendable
    public static int walk(List<String> log, int n) {
        int total = 0;
        for (int i = 1; i <= n; i++) {
            log.add("step " + i);
            total += i;
            Continuation.suspend();
        }
        return total;
    }
}
