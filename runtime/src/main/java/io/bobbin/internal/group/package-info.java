/**
 * Loop groups: {@link io.bobbin.internal.group.GroupCore}, the engine behind the public
 * {@code EventLoopGroup}. It places each task spawned on the group on one of its loops by load, in
 * a queue of unstarted tasks that the loop takes in on its next turn, and lets a loop that has
 * nothing to do take over half of a busy sibling's queue. A task leaves a queue only to be placed
 * on a loop for good: a task that has started never moves. <b>Internal</b>.
 *
 * <p>Threads: {@code spawn} from any thread; each member's feed on its own loop's thread; the
 * queues are lock-free and shared (see {@code Member}).
 */
package io.bobbin.internal.group;
