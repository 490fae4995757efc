/* Unloading the shared library while its sockets are open and traffic flows.
 *
 * Usage: test_unload <path of the shared zeromq_xop library>
 *
 * A second, independent copy of the library (the "peer", loaded from a copy of the file so it
 * has its own state) publishes and sends CallFunction requests from its own thread the whole
 * time. Each round, on a host thread of its own, loads the library under test, binds its
 * server (handler thread running), subscribes to the peer's publisher and checks that calls
 * and published messages arrive; the host thread ends and the library is unloaded with
 * dlclose:
 *   - even rounds call zeromq_shutdown first: the library must then really be unmapped (no
 *     thread of it is left) and work again after the shutdown before that;
 *   - odd rounds call nothing: the loader keeps the library mapped while its threads run
 *     (their thread-local destructors pin it), so the next round gets the same instance back
 *     and starts with zeromq_stop; the last round is such a round, so the process exits with
 *     the library's sockets open and its threads running (its unload path stops them).
 * A libzmq or library thread outliving the code it runs would crash the process (ASan
 * reports it in the _asan build). */

#if !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif

#include <dlfcn.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "zeromq_xop.h"

#define ROUNDS 12
#define LIT(s) (s), (sizeof(s) - 1)

typedef int32_t (*endpoint_fn)(const char *, size_t);
typedef int32_t (*void_fn)(void);
typedef int32_t (*process_fn)(uint32_t *);
typedef int32_t (*wait_fn)(int32_t);
typedef int32_t (*recv_fn)(int32_t, zeromq_message **);
typedef int32_t (*send_fn)(const char *, size_t);
typedef int32_t (*pub_send_fn)(const char *, size_t, const char *, size_t);
typedef int32_t (*endpoints_fn)(int32_t, zeromq_message **);
typedef int32_t (*frame_fn)(const zeromq_message *, size_t, const uint8_t **, size_t *);
typedef void (*free_fn)(zeromq_message *);

/* The functions of one loaded copy. */
typedef struct {
    void *dl;
    endpoint_fn server_bind, client_connect, pub_bind, sub_connect, sub_add_filter;
    void_fn handler_start, stop, shutdown;
    process_fn handler_process;
    wait_fn handler_wait;
    recv_fn client_recv, sub_recv;
    send_fn client_send;
    pub_send_fn pub_send;
    endpoints_fn endpoints;
    frame_fn message_frame;
    free_fn message_free;
} lib;

static int failures;

#define CHECK(cond)                                                                         \
    do {                                                                                    \
        if (!(cond)) {                                                                      \
            fprintf(stderr, "test_unload: %s:%d: CHECK(%s) failed\n", __FILE__, __LINE__,    \
                    #cond);                                                                 \
            failures++;                                                                     \
            return 1;                                                                       \
        }                                                                                   \
    } while (0)

static void *sym(void *dl, const char *name)
{
    void *p = dlsym(dl, name);
    if (p == NULL) {
        fprintf(stderr, "test_unload: %s missing: %s\n", name, dlerror());
        exit(1);
    }
    return p;
}

static int load(lib *l, const char *path)
{
    memset(l, 0, sizeof *l);
    l->dl = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (l->dl == NULL) {
        fprintf(stderr, "test_unload: dlopen(%s): %s\n", path, dlerror());
        return 1;
    }
    /* Object to function pointer conversions through memcpy keep -Wpedantic quiet. */
#define LOAD(field, name)                                                                   \
    do {                                                                                    \
        void *p_ = sym(l->dl, name);                                                        \
        memcpy(&l->field, &p_, sizeof p_);                                                  \
    } while (0)
    LOAD(server_bind, "zeromq_server_bind");
    LOAD(client_connect, "zeromq_client_connect");
    LOAD(pub_bind, "zeromq_pub_bind");
    LOAD(sub_connect, "zeromq_sub_connect");
    LOAD(sub_add_filter, "zeromq_sub_add_filter");
    LOAD(handler_start, "zeromq_handler_start");
    LOAD(stop, "zeromq_stop");
    LOAD(shutdown, "zeromq_shutdown");
    LOAD(handler_process, "zeromq_handler_process");
    LOAD(handler_wait, "zeromq_handler_wait");
    LOAD(client_recv, "zeromq_client_recv");
    LOAD(sub_recv, "zeromq_sub_recv");
    LOAD(client_send, "zeromq_client_send");
    LOAD(pub_send, "zeromq_pub_send");
    LOAD(endpoints, "zeromq_endpoints");
    LOAD(message_frame, "zeromq_message_frame");
    LOAD(message_free, "zeromq_message_free");
#undef LOAD
    return 0;
}

/* The first endpoint of a role, NUL-terminated into buf. */
static int endpoint_of(const lib *l, int32_t role, char *buf, size_t cap)
{
    zeromq_message *m = NULL;
    const uint8_t *d = NULL;
    size_t n = 0;
    int ok = l->endpoints(role, &m) == 0 && l->message_frame(m, 0, &d, &n) == 0 && n < cap;
    if (ok) {
        memcpy(buf, d, n);
        buf[n] = '\0';
    }
    l->message_free(m);
    return ok ? 0 : 1;
}

static lib peer;
static pthread_mutex_t peer_lock = PTHREAD_MUTEX_INITIALIZER;
static volatile int peer_done;

/* The peer's traffic: a published message and a call every millisecond, replies drained. */
static void *peer_traffic(void *arg)
{
    static const char call[] = "{\"version\":1,\"CallFunction\":{\"name\":\"f\",\"params\":[1]}}";
    (void)arg;
    while (!peer_done) {
        zeromq_message *m = NULL;
        pthread_mutex_lock(&peer_lock);
        peer.pub_send(LIT("topic"), LIT("payload"));
        peer.client_send(LIT(call));
        while (peer.client_recv(0, &m) == 0 && m != NULL) {
            peer.message_free(m);
            m = NULL;
        }
        pthread_mutex_unlock(&peer_lock);
        nanosleep(&(struct timespec){0, 1000000}, NULL);
    }
    return NULL;
}

static void pause_ms(long ms)
{
    nanosleep(&(struct timespec){ms / 1000, (ms % 1000) * 1000000L}, NULL);
}

/* One round on the calling (host) thread; the loaded library is left in *dl. */
static int round_trip(const char *path, int round, void **dl)
{
    lib l;
    char server_ep[256], pub_ep[256];
    zeromq_message *m = NULL;
    uint32_t processed = 0;
    int i;

    CHECK(load(&l, path) == 0);
    *dl = l.dl;
    /* The instance a previous round left running (odd rounds) is reused: start afresh. */
    CHECK(l.stop() == 0);
    CHECK(l.server_bind(LIT("tcp://127.0.0.1:*")) == 0);
    CHECK(l.handler_start() == 0);
    CHECK(endpoint_of(&l, ZEROMQ_ROLE_SERVER, server_ep, sizeof server_ep) == 0);

    pthread_mutex_lock(&peer_lock);
    peer.stop();
    if (peer.pub_bind(LIT("tcp://127.0.0.1:*")) != 0 ||
        endpoint_of(&peer, ZEROMQ_ROLE_PUBLISHER, pub_ep, sizeof pub_ep) != 0 ||
        peer.client_connect(server_ep, strlen(server_ep)) != 0) {
        pthread_mutex_unlock(&peer_lock);
        CHECK(!"the peer could not bind or connect");
    }
    pthread_mutex_unlock(&peer_lock);

    CHECK(l.sub_connect(pub_ep, strlen(pub_ep)) == 0);
    CHECK(l.sub_add_filter(NULL, 0) == 0);
    /* Traffic flows both ways before the unload: a published message arrives, calls run. */
    CHECK(l.sub_recv(5000, &m) == 0 && m != NULL);
    l.message_free(m);
    for (i = 0; i < 500 && processed == 0; i++) {
        CHECK(l.handler_wait(10) == 0);
        CHECK(l.handler_process(&processed) == 0);
    }
    CHECK(processed > 0);

    if (round % 2 == 0) {
        CHECK(l.shutdown() == 0);
        /* Usable again after a shutdown (a host may keep the library loaded). */
        CHECK(l.client_connect(LIT("tcp://127.0.0.1:9")) == 0);
        CHECK(l.shutdown() == 0);
        CHECK(l.shutdown() == 0);
    }
    /* Odd rounds: no cleanup call at all, the sockets are open and the peer keeps sending. */
    return 0;
}

typedef struct {
    const char *path;
    int round;
    void *dl;
} host_args;

static void *host_thread(void *p)
{
    host_args *a = (host_args *)p;
    round_trip(a->path, a->round, &a->dl);
    return NULL;
}

/* Runs one round on a new host thread, then unloads the library. */
static int unload_round(const char *path, int round)
{
    host_args a = {path, round, NULL};
    pthread_t h;
    void *still;

    CHECK(pthread_create(&h, NULL, host_thread, &a) == 0);
    CHECK(pthread_join(h, NULL) == 0);
    CHECK(a.dl != NULL);
    CHECK(dlclose(a.dl) == 0);
    /* Give a thread that outlived the unload time to run unmapped code. */
    pause_ms(20);
    still = dlopen(path, RTLD_NOW | RTLD_NOLOAD);
    if (still != NULL) {
        dlclose(still);
    }
    if (round % 2 == 0) {
        /* After zeromq_shutdown nothing of the library runs: it is really unmapped. */
        CHECK(still == NULL);
    }
    return 0;
}

int main(int argc, char **argv)
{
    char copy[] = "/tmp/zeromq_xop_peer_XXXXXX";
    char buf[65536];
    pthread_t t;
    FILE *in, *out;
    size_t n;
    int fd, round;

    if (argc != 2) {
        fprintf(stderr, "usage: test_unload <libzeromq_xop shared library>\n");
        return 2;
    }
    /* The peer: a copy of the file, so the loader gives it its own state. */
    fd = mkstemp(copy);
    in = fopen(argv[1], "rb");
    out = fd >= 0 ? fdopen(fd, "wb") : NULL;
    if (in == NULL || out == NULL) {
        fprintf(stderr, "test_unload: cannot copy %s\n", argv[1]);
        return 1;
    }
    while ((n = fread(buf, 1, sizeof buf, in)) > 0) {
        fwrite(buf, 1, n, out);
    }
    fclose(in);
    fclose(out);
    if (load(&peer, copy) != 0) {
        unlink(copy);
        return 1;
    }
    if (pthread_create(&t, NULL, peer_traffic, NULL) != 0) {
        unlink(copy);
        return 1;
    }
    for (round = 0; round < ROUNDS && failures == 0; round++) {
        unload_round(argv[1], round);
    }
    peer_done = 1;
    pthread_join(t, NULL);
    peer.shutdown();
    dlclose(peer.dl);
    unlink(copy);
    printf("test_unload: %d rounds, %d failures\n", round, failures);
    return failures == 0 ? 0 : 1;
}
