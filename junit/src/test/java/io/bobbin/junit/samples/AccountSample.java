package io.bobbin.junit.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.bobbin.Async;
import io.bobbin.EventLoop;
import io.bobbin.Suspendable;
import io.bobbin.Task;
import io.bobbin.junit.OnEventLoop;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestTemplate;

/** README's "Testing your code" example, as it is there (the README calls it com.example.AccountTest). */
@Suspendable                                        // every method of the class may suspend
public class AccountSample {
    static int balance;

    /** A deposit through a slow call: the balance is read before it and written after it. */
    static void deposit(int amount) {
        int read = balance;
        Async.sleep(Duration.ofMillis(50));         // a call to a remote ledger, say
        balance = read + amount;
    }

    @Test
    @OnEventLoop(virtualTime = true)                // the clock starts at 0 and jumps to the next timer
    void aDepositTakesFiftyMillisecondsAndAnHourPassesAtOnce() {
        balance = 100;
        deposit(10);
        assertEquals(110, balance);
        assertEquals(Duration.ofMillis(50).toNanos(), EventLoop.current().time());
        Async.sleep(Duration.ofHours(1));           // no real waiting
        assertEquals(Duration.ofHours(1).plusMillis(50).toNanos(), EventLoop.current().time());
    }

    @Test
    @OnEventLoop(virtualTime = true)
    void aSlowDepositTimesOutAndChangesNothing() throws Exception {
        balance = 100;
        try {
            Async.withTimeout(Duration.ofMillis(20), () -> {
                deposit(10);
                return null;
            });
            fail("no timeout");
        } catch (TimeoutException expected) {
            assertEquals(100, balance);             // cancelled between its read and its write
            assertEquals(Duration.ofMillis(20).toNanos(), EventLoop.current().time());
        }
    }

    @TestTemplate                                   // not @Test: a test per seed
    @OnEventLoop(virtualTime = true, seeds = {1, 2, 3, 4, 5, 6})
    void aSalaryAndARefundAtTheSameTimeAreBothCounted() throws Exception {
        balance = 100;
        Task<Void> salary = Async.spawn(() -> {
            balance += 50;                          // no suspension: atomic on the loop
            return null;
        });
        Task<Void> refund = Async.spawn(() -> {
            deposit(10);
            return null;
        });
        salary.join();
        refund.join();
        assertEquals(160, balance);
    }
}
