/* The heartbeat settings from Igor (zeromq_set_heartbeat): bad arguments give the documented
 * errors; a pyzmq subscriber to "" sees the chosen topic at the chosen period, nothing after
 * period 0, and the setting survives zeromq_stop. */

#include "sim_test.h"

#include <math.h>
#include <stdlib.h>

#define MAX_FILTER_LENGTH 1024

static char port_text[16];

/* Binds Igor's publisher to a free port; returns the port as text. */
static const char *bind_publisher(void)
{
    int attempt;

    for (attempt = 0; attempt < 10; attempt++) {
        char endpoint[64];
        const int port = sim_free_port();

        snprintf(endpoint, sizeof endpoint, "tcp://127.0.0.1:%d", port);
        if (port > 0 && CALL(NULL, "zeromq_pub_bind", IGOR_STR(endpoint)) == 0) {
            snprintf(port_text, sizeof port_text, "%d", port);
            return port_text;
        }
    }
    sim_test_fail(__FILE__, __LINE__, "no free port for the publisher");
    return "0";
}

static void test_bad_arguments(void)
{
    char *topic = (char *)malloc(MAX_FILTER_LENGTH + 2);

    EXPECT_RC(CALL(NULL, "zeromq_set_heartbeat", IGOR_STR("hb"), IGOR_NUM(-1)), ERR_INVALID_ARG);
    EXPECT_RC(CALL(NULL, "zeromq_set_heartbeat", IGOR_STR("hb"), IGOR_NUM(NAN)),
              kDoesNotSupportNaNorINF);
    EXPECT_RC(CALL(NULL, "zeromq_set_heartbeat", IGOR_STR("hb"), IGOR_NUM(1e12)),
              kParameterOutOfRange);
    memset(topic, 't', MAX_FILTER_LENGTH + 1);
    topic[MAX_FILTER_LENGTH + 1] = '\0';
    EXPECT_RC(CALL(NULL, "zeromq_set_heartbeat", IGOR_STR(topic), IGOR_NUM(100)),
              ERR_INVALID_ARG);
    /* The longest topic allowed is accepted. */
    topic[MAX_FILTER_LENGTH] = '\0';
    EXPECT_RC(CALL(NULL, "zeromq_set_heartbeat", IGOR_STR(topic), IGOR_NUM(100)), 0);
    free(topic);
}

static void publish_news(void *data)
{
    int *count = (int *)data;

    if ((*count)++ % 20 == 0) {
        EXPECT_RC(CALL(NULL, "zeromq_pub_send", IGOR_STR("news"), IGOR_STR("x")), 0);
    }
}

static void test_custom_topic_and_period(void)
{
    const char *port;
    int count = 0;

    EXPECT_RC(CALL(NULL, "zeromq_set_heartbeat", IGOR_STR("igorbeat"), IGOR_NUM(100)), 0);
    port = bind_publisher();
    setenv("IGOR_SIM_TOPIC", "igorbeat", 1);
    EXPECT(sim_run_client("heartbeat", port, "100", NULL) == 0);

    /* Period 0: subscribers to "" see only Igor's own messages. */
    EXPECT_RC(CALL(NULL, "zeromq_set_heartbeat", IGOR_STR("igorbeat"), IGOR_NUM(0)), 0);
    EXPECT(sim_wait_client_doing(sim_start_client("no_heartbeat", port, NULL), publish_news,
                                 &count) == 0);
}

static void test_setting_survives_stop(void)
{
    const char *port;

    EXPECT_RC(CALL(NULL, "zeromq_set_heartbeat", IGOR_STR("kept"), IGOR_NUM(150)), 0);
    EXPECT_RC(CALL0(NULL, "zeromq_stop"), 0);
    port = bind_publisher();
    setenv("IGOR_SIM_TOPIC", "kept", 1);
    EXPECT(sim_run_client("heartbeat", port, "150", NULL) == 0);
    EXPECT_RC(CALL0(NULL, "zeromq_stop"), 0);
}

int main(void)
{
    sim_test_start("igor_sim_heartbeat");
    test_bad_arguments();
    test_custom_topic_and_period();
    test_setting_survives_stop();
    return sim_test_finish();
}
