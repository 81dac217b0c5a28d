/*
 * The sampler. A sampler owns one thread, created by sampler_open and
 * joined by sampler_stop, that opens the backend (perf events, or
 * ptrace: it stays the tracer), reads the kernel (or ptrace) and writes
 * struct rs_sample records into the ring: no allocation, no symbol work,
 * no locks on that path.
 */
#ifndef RS_SAMPLER_H
#define RS_SAMPLER_H

#include <stdbool.h>
#include <sys/types.h>

#include "events.h"
#include "sampler_types.h"

struct ring;
struct target;

struct sampler;

/* "auto", "perf", "ptrace" -> kind, or -1. */
int sampler_kind_parse(const char *name);

/* Whether a sampler of kind could sample ev on pid (0: this process) at
 * rate, before one is open (--list-events): 0, with *via naming the
 * sampler that would where auto would not use perf (else NULL); or -1
 * with *reason set (caller frees). */
int sampler_kind_probe(enum sampler_kind kind, unsigned ev, pid_t pid,
    const struct events_rate *rate, const char **via, char **reason);

/* The ring slots one sample can take under o (with call stacks: the
 * stack records and their payload slots before it, pushed as one unit),
 * whichever backend o->kind may open; SAMPLER_CG_AUTO counts as the
 * larger of fp and dwarf. Size the ring for a refresh's samples with it. */
size_t sampler_slots_per_sample(const struct sampler_opts *o);

/* SIGCHLD must be blocked in every thread of the process: the ptrace
 * sampler takes its tracees' stops through a signalfd. sampler_open
 * blocks it in the calling thread; create other threads after it, or
 * block it in them too.
 *
 * o->callgraph must be decided (not SAMPLER_CG_AUTO); a zero max_stack
 * or stack_size stands for the default, a stack_size not a multiple of 8
 * is rounded up, both are kept within sample.h's limits.
 *
 * Open the sampler o->kind names on every thread of every process of t
 * (held before exec where t is spawned: sampling then starts at exec):
 * its thread is created and has opened (seized) everything when this
 * returns; it samples nothing before sampler_start.
 * Returns 0, or -1 with *cause set. On success the events are in *sp. */
int sampler_open(struct sampler **sp, struct target *t, struct ring *r,
    const struct sampler_opts *o, char **cause);

/* Why auto chose ptrace (perf refused, and why), or NULL. */
const char *sampler_notice(const struct sampler *s);

/* Start sampling. 0, or -1 with *cause. */
int sampler_start(struct sampler *s, char **cause);

/* Have the sampler thread read every buffer into the ring and publish
 * its counters, and wait for it (any thread but that one; nothing once
 * it has stopped). Between flushes a backend may keep samples in its own
 * buffers (perf: until a ring is a quarter full). */
void sampler_flush(struct sampler *s);

/* Stop the thread after a last read of every buffer (and, for ptrace,
 * detaching every thread); idempotent. */
void sampler_stop(struct sampler *s);

/* Start sampling event ev too, from now on, on every thread (any thread
 * may call; returns once the event is open). 0, or -1 with *cause. */
int sampler_add_event(struct sampler *s, unsigned ev, char **cause);

/* Whether event ev is being sampled. */
bool sampler_has_event(struct sampler *s, unsigned ev);

/* Whether this sampler could sample ev on pid at rate: 0, or -1 with
 * *reason set (caller frees). */
int sampler_probe(struct sampler *s, unsigned ev, pid_t pid,
    const struct events_rate *rate, char **reason);

/* Counters so far (any thread). */
void sampler_stats(struct sampler *s, struct sampler_stats *st);

/* The events, after fallbacks: n entries, as requested. */
const struct sampler_event *sampler_events(struct sampler *s, size_t *n);

/* "perf" or "ptrace". */
const char *sampler_name(const struct sampler *s);

/* Whether kernel samples are being taken. */
bool sampler_kernel(const struct sampler *s);

/* Stop (if running) and release every fd, mapping and allocation. */
void sampler_free(struct sampler *s);

#endif
