package io.bobbin.demo;

import io.bobbin.Async;
import io.bobbin.EventLoop;
import io.bobbin.Suspendable;
import io.bobbin.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Step 3: tasks that spawn tasks while the loop runs. Each task of a tree spawns its children,
 * waits for them with {@link Task#join()}, and adds up their sizes. {@link Async#spawn} never runs
 * the child at once: it queues it at the back of the ready queue, so the tree starts breadth first,
 * one level after another, and each task ends only after its children.
 */
final class SpawnDemo implements Demo {
    /** Tasks alive now, and the most at once: plain fields, as only the loop's thread touches them. */
    private int alive;
    private int mostAlive;

    @Override
    public String name() {
        return "spawn";
    }

    @Override
    public String summary() {
        return "tasks spawning tasks while the loop runs: a tree that starts level by level";
    }

    @Override
    public List<Option> options() {
        return List.of(
                Option.valued("--depth", "D", "levels below the root (default 2)"),
                Option.valued("--fanout", "F", "children of each task (default 3)"));
    }

    /** One node of the tree: spawns its children, joins them, returns how many tasks its subtree had. */
    @Suspendable
    int node(String name, int depth, int fanout, Stopwatch clock) throws Exception {
        alive++;
        mostAlive = Math.max(mostAlive, alive);
        List<Task<Integer>> children = new ArrayList<>();
        for (int i = 1; depth > 0 && i <= fanout; i++) {
            String child = name + "." + i;
            children.add(Async.spawn(() -> node(child, depth - 1, fanout, clock)));
        }
        System.out.println(clock.stamp() + "  " + name + " starts"
                + (children.isEmpty() ? "" : ", spawned " + children.size() + " children"));
        Async.sleep(Duration.ofMillis(10)); // a little work of its own, meanwhile the others run
        int size = 1;
        for (Task<Integer> t : children) {
            size += t.join();
        }
        System.out.println(clock.stamp() + "  " + name + " ends: " + size + (size == 1 ? " task" : " tasks"));
        alive--;
        return size;
    }

    @Override
    public int run(Args args) throws Exception {
        int depth = args.getInt("--depth", 2, 0, 6);
        int fanout = args.getInt("--fanout", 3, 1, 6);
        int size = EventLoop.run(() -> node("t1", depth, fanout, new Stopwatch()));
        System.out.println(size + " tasks in the tree, at most " + mostAlive + " alive at once, all on thread "
                + Thread.currentThread().getName());
        return 0;
    }
}
